// DMA read engine: commands in, an AXI4 read master out, the command's bytes as a packed
// stream back (rows back to back, the first byte of the command in byte 0 of the first beat).
//
//   cmd -> tessel_dma_burst_gen -> AR register -> AXI AR
//                                       |  (one entry per burst in flight)
//                                   track FIFO
//                                       v
//   AXI R -> realign (drop the bytes before/after the burst, pack after the bytes so far)
//         -> skid buffer -> rd stream
//
// All bursts use one ID, so data returns in order. Up to MaxOutstanding bursts are in flight.
// Errors (window, malformed command, SLVERR/DECERR) stop the engine: no new AR, the data of
// bursts in flight is drained and dropped, the stream stops, and err_* hold the first error
// until clear_i. clear_i (soft reset) does the same without an error and returns to idle once
// every burst in flight has drained (cmd_ready_o stays low until then).
`include "tessel_assert.svh"
`include "tessel_axi_typedef.svh"

module tessel_dma_rd
  import tessel_dma_pkg::*;
#(
  /// Bits per AXI data beat and per beat of the output stream (64, 128, 256 or 512).
  parameter int unsigned DataWidth = tessel_config_pkg::AxiDataWidth,
  /// AXI ID bits.
  parameter int unsigned IdWidth = tessel_config_pkg::AxiIdWidth,
  /// ID of every read burst (a single ID keeps read data in order).
  parameter logic [IdWidth-1:0] AxiId = '0,
  /// Read bursts in flight at most (4 or more hides the memory latency).
  parameter int unsigned MaxOutstanding = tessel_config_pkg::AxiMaxOutstanding,
  /// The read half of the AXI4 bus (tessel_axi_typedef.svh) at DataWidth, IdWidth, AddrWidth.
  parameter type rd_req_t = axi_rd_req_t,
  parameter type rd_resp_t = axi_rd_resp_t,
  localparam int unsigned BeatBytes = DataWidth / 8,
  localparam int unsigned CntWidth = $clog2(BeatBytes) + 1
) (
  input  logic                    clk_i,
  input  logic                    rst_i,
  input  logic                    clear_i,       // soft reset (one cycle)
  input  logic                    stop_i,        // stop as after an error, recording none
  input  logic [AddrWidth-1:0]    win_base_i,    // first byte the engine may read
  input  logic [AddrWidth-1:0]    win_limit_i,   // first byte past the window

  input  logic                    cmd_valid_i,
  output logic                    cmd_ready_o,
  input  dma_cmd_t                cmd_i,

  output logic                    rd_valid_o,
  input  logic                    rd_ready_i,
  output logic [DataWidth-1:0]    rd_data_o,
  output logic                    rd_last_o,     // final beat of the command
  output logic [CntWidth-1:0]     rd_bytes_o,    // valid bytes of this beat (from byte 0)

  output logic                    done_o,        // one cycle after a command's last beat left
  output logic                    busy_o,
  output logic                    err_valid_o,   // held until clear_i
  output dma_err_e                err_code_o,
  output logic [ExtAddrWidth-1:0] err_addr_o,

  output rd_req_t                 axi_req_o,     // AR and R ready of an AXI4 master
  input  rd_resp_t                axi_resp_i
);
  localparam int unsigned OffWidth = $clog2(BeatBytes);
  localparam int unsigned TrackDepth = MaxOutstanding;

  if (MaxOutstanding < 2) begin : gen_bad_outstanding
    $error("%m: tessel_dma_rd MaxOutstanding must be at least 2, got %0d", MaxOutstanding);
  end

  // What the R side needs to know about each burst in flight.
  typedef struct packed {
    logic [AddrWidth-1:0] addr;       // first byte (for the error address)
    logic [OffWidth-1:0]  first_off;  // first wanted byte in the first beat
    logic [CntWidth-1:0]  last_end;   // wanted bytes of the last beat end here (1..BeatBytes)
    tessel_axi_pkg::len_t len;        // beats - 1
    logic                 cmd_last;   // last burst of its command
  } track_t;

  // ---------------------------------------------------------------- stop / soft reset state
  // Stopped: issue nothing new and drain what is in flight (tessel_dma_stop).
  logic stopped, aborting;
  logic [ExtAddrWidth-1:0] gen_err_addr;

  // ---------------------------------------------------------------- bursts
  logic       burst_valid, burst_ready, gen_busy, gen_err, gen_err_window;
  dma_burst_t burst;

  tessel_dma_burst_gen #(.DataWidth(DataWidth)) u_burst_gen (
    .clk_i        (clk_i),
    .rst_i        (rst_i),
    .clear_i      (clear_i),
    .halt_i       (stopped),
    .cmd_valid_i  (cmd_valid_i),
    .cmd_ready_o  (cmd_ready_o),
    .cmd_i        (cmd_i),
    .win_base_i   (win_base_i),
    .win_limit_i  (win_limit_i),
    .burst_valid_o(burst_valid),
    .burst_ready_i(burst_ready),
    .burst_o      (burst),
    .busy_o       (gen_busy),
    .err_valid_o  (gen_err),
    .err_window_o (gen_err_window),
    .err_addr_o   (gen_err_addr)
  );

  // Beats of a burst: its bytes plus the offset of its first byte in the first beat.
  logic [13:0] burst_end_off;
  track_t      burst_track;
  always_comb begin
    burst_end_off = 14'(burst.addr[OffWidth-1:0]) + 14'(burst.bytes);
    burst_track.addr      = burst.addr[AddrWidth-1:0];
    burst_track.first_off = burst.addr[OffWidth-1:0];
    burst_track.last_end  = (burst_end_off[OffWidth-1:0] == '0) ? CntWidth'(BeatBytes)
                                                                : CntWidth'(burst_end_off[OffWidth-1:0]);
    burst_track.len       = 8'((burst_end_off + 14'(BeatBytes - 1)) >> OffWidth) - 8'd1;
    burst_track.cmd_last  = burst.cmd_last;
  end

  // ---------------------------------------------------------------- AR channel
  // A burst enters the AR register and the track FIFO together; the FIFO depth bounds the
  // bursts in flight. Once presented, an AR stays until accepted (AXI), even after an error.
  logic   track_in_ready, track_valid, track_pop;
  track_t track;
  logic                 ar_valid_q;
  logic [AddrWidth-1:0] ar_addr_q;
  tessel_axi_pkg::len_t ar_len_q;

  assign burst_ready = track_in_ready && (!ar_valid_q || axi_resp_i.ar_ready);
  wire   ar_load     = burst_valid && burst_ready;

  tessel_fifo #(.Width($bits(track_t)), .Depth(TrackDepth)) u_track (
    .clk_i      (clk_i),
    .rst_i      (rst_i),
    .in_valid_i (ar_load),
    .in_ready_o (track_in_ready),
    .in_data_i  (burst_track),
    .out_valid_o(track_valid),
    .out_ready_i(track_pop),
    .out_data_o (track),
    .count_o    ()
  );

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      ar_valid_q <= 1'b0;
    end else if (ar_load) begin
      ar_valid_q <= 1'b1;
    end else if (axi_resp_i.ar_ready) begin
      ar_valid_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (ar_load) begin
      ar_addr_q <= burst_track.addr;
      ar_len_q  <= burst_track.len;
    end
  end

  `TESSEL_AXI_ASSIGN_AX(axi_req_o.ar, AxiId, ar_addr_q, ar_len_q, tessel_axi_pkg::size_t'(OffWidth))
  assign axi_req_o.ar_valid = ar_valid_q;

  // ---------------------------------------------------------------- R channel
  tessel_axi_pkg::len_t beat_q;    // beat of the burst at the head of the track FIFO
  logic [OffWidth-1:0] lo;         // first wanted byte of this beat
  logic [CntWidth-1:0] hi;         // wanted bytes end here
  logic [CntWidth-1:0] n;          // wanted bytes in this beat
  logic                burst_last_beat, cmd_last_beat;
  always_comb begin
    burst_last_beat = (beat_q == track.len);
    cmd_last_beat   = burst_last_beat && track.cmd_last;
    lo = (beat_q == 8'd0) ? track.first_off : '0;
    hi = burst_last_beat ? track.last_end : CntWidth'(BeatBytes);
    n  = hi - CntWidth'(lo);
  end

  // Realignment: acc_q holds fill_q (< BeatBytes) bytes of the command not yet sent, from
  // byte 0. A beat's wanted bytes go right after them; a full beat goes out.
  logic [DataWidth-1:0]   acc_q;
  logic [CntWidth-1:0]    fill_q;
  logic                   flush_q;    // the command's final partial beat is still in acc_q
  logic                   out_in_ready;
  logic [DataWidth-1:0]   beat_bytes;
  logic [2*DataWidth-1:0] packed_bytes;
  logic [CntWidth:0]      total;

  wire r_fire  = axi_resp_i.r_valid && axi_req_o.r_ready;
  wire r_error = axi_resp_i.r.resp[1];  // SLVERR (2) or DECERR (3)
  wire take_r  = r_fire && !stopped && !r_error;

  // Stopped: accept (and drop) every beat of the bursts in flight. Running: only when the
  // output can take a beat and no final flush is pending.
  assign axi_req_o.r_ready = track_valid && (stopped || (out_in_ready && !flush_q));
  assign track_pop    = r_fire && burst_last_beat;

  always_comb begin
    beat_bytes   = (axi_resp_i.r.data >> (8 * lo)) & ({DataWidth{1'b1}} >> (8 * (CntWidth'(BeatBytes) - n)));
    packed_bytes = {{DataWidth{1'b0}}, acc_q} | ({{DataWidth{1'b0}}, beat_bytes} << (8 * fill_q));
    total        = (CntWidth + 1)'(fill_q) + (CntWidth + 1)'(n);
  end

  logic                 emit, emit_last;
  logic [DataWidth-1:0] emit_data;
  logic [CntWidth-1:0]  emit_bytes;
  always_comb begin
    emit       = 1'b0;
    emit_last  = 1'b0;
    emit_data  = packed_bytes[DataWidth-1:0];
    emit_bytes = CntWidth'(BeatBytes);
    if (flush_q) begin
      emit       = out_in_ready;
      emit_last  = 1'b1;
      emit_data  = acc_q;
      emit_bytes = fill_q;
    end else if (take_r) begin
      if (total >= (CntWidth + 1)'(BeatBytes)) begin
        emit      = 1'b1;
        emit_last = cmd_last_beat && (total == (CntWidth + 1)'(BeatBytes));
      end else if (cmd_last_beat) begin
        emit       = 1'b1;
        emit_last  = 1'b1;
        emit_bytes = CntWidth'(total);
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i || stopped) begin  // stopped: the command's remaining bytes are dropped
      fill_q  <= '0;
      acc_q   <= '0;
      flush_q <= 1'b0;
    end else if (flush_q) begin
      if (out_in_ready) begin
        flush_q <= 1'b0;
        fill_q  <= '0;
        acc_q   <= '0;
      end
    end else if (take_r) begin
      if (total >= (CntWidth + 1)'(BeatBytes)) begin
        acc_q  <= packed_bytes[2*DataWidth-1:DataWidth];
        fill_q <= CntWidth'(total - (CntWidth + 1)'(BeatBytes));
        flush_q <= cmd_last_beat && (total > (CntWidth + 1)'(BeatBytes));
      end else if (cmd_last_beat) begin
        acc_q  <= '0;
        fill_q <= '0;
      end else begin
        acc_q  <= packed_bytes[DataWidth-1:0];
        fill_q <= CntWidth'(total);
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      beat_q <= '0;
    end else if (r_fire) begin
      beat_q <= burst_last_beat ? 8'd0 : beat_q + 8'd1;
    end
  end

  logic out_valid;
  tessel_skid_buffer #(.Width(DataWidth + 1 + CntWidth)) u_out (
    .clk_i      (clk_i),
    .rst_i      (rst_i || clear_i),
    .in_valid_i (emit && !stopped),
    .in_ready_o (out_in_ready),
    .in_data_i  ({emit_data, emit_last, emit_bytes}),
    .out_valid_o(out_valid),
    .out_ready_i(rd_ready_i),
    .out_data_o ({rd_data_o, rd_last_o, rd_bytes_o})
  );
  assign rd_valid_o = out_valid;

  // ---------------------------------------------------------------- errors, done, busy
  // Address of the first byte of the beat now on R (its wanted part).
  wire [AddrWidth-1:0] beat_addr = (beat_q == 8'd0)
      ? track.addr
      : {track.addr[AddrWidth-1:OffWidth], {OffWidth{1'b0}}} + AddrWidth'({beat_q, {OffWidth{1'b0}}});

  wire drained = !track_valid;  // every AR presented has had all its R beats

  tessel_dma_stop #(.Write(1'b0)) u_stop (
    .clk_i           (clk_i),
    .rst_i           (rst_i),
    .clear_i         (clear_i),
    .stop_i          (stop_i),
    .drained_i       (drained),
    .resp_err_i      (r_fire && r_error),
    .resp_decerr_i   (axi_resp_i.r.resp[0]),
    .resp_err_addr_i (beat_addr),
    .cmd_err_i       (gen_err),
    .cmd_err_window_i(gen_err_window),
    .cmd_err_addr_i  (gen_err_addr),
    .stopped_o       (stopped),
    .aborting_o      (aborting),
    .err_valid_o     (err_valid_o),
    .err_code_o      (err_code_o),
    .err_addr_o      (err_addr_o)
  );

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      done_o <= 1'b0;
    end else begin
      done_o <= rd_valid_o && rd_ready_i && rd_last_o;
    end
  end

  // Busy until the done pulse of the last command has been given. Once stopped, beats still
  // waiting on the stream do not count: draining AXI must not depend on the consumer.
  assign busy_o      = gen_busy || track_valid || ar_valid_q || fill_q != '0 || flush_q ||
                       (out_valid && !stopped) || aborting || done_o;

  // ---------------------------------------------------------------- checks
  // The slave returns exactly the beats asked for, with our ID, and never data nobody asked for.
  `TESSEL_ASSERT(rd_r_expected, axi_resp_i.r_valid |-> track_valid)
  `TESSEL_ASSERT(rd_rlast_matches, r_fire |-> (axi_resp_i.r.last == burst_last_beat))
  `TESSEL_ASSERT(rd_rid_matches, axi_resp_i.r_valid |-> (axi_resp_i.r.id == AxiId))
  // Stopped: no new address is presented (one already presented stays, as AXI requires).
  `TESSEL_ASSERT(rd_no_ar_when_stopped, stopped |-> !ar_load)
  `TESSEL_ASSERT(rd_wanted_bytes_in_beat, track_valid |-> (n != '0 && hi > CntWidth'(lo)))

  `TESSEL_COVER(rd_bursts_in_flight_at_limit, burst_valid && !track_in_ready)
  `TESSEL_COVER(rd_consumer_stalls, rd_valid_o && !rd_ready_i)
  `TESSEL_COVER(rd_stops_with_bursts_in_flight, err_valid_o && !$past(err_valid_o) && track_valid)
endmodule
