// DMA write engine: commands and a packed byte stream in (the same packing tessel_dma_rd
// produces), an AXI4 write master out, with write strobes on partial beats.
//
//   cmd -> tessel_dma_burst_gen -> AW register -> AXI AW
//                                      | W track FIFO (beats and byte lanes of each burst)
//                                      | B track FIFO (address, last burst of the command)
//   wr stream -> unpack buffer (3 beats) -> W register -> AXI W
//   AXI B -> done / error
//
// The stream carries ceil(total bytes / beat bytes) beats per command, wr_last on the final
// one; the bytes of that beat past the command's end are ignored.
// W beats of a burst may go out before its AW is accepted (AXI allows it; the slave may wait).
// done_o pulses when the B response of the command's last burst arrives, all OKAY.
// Errors (window, malformed command, SLVERR/DECERR) stop the engine: no new AW, every W beat
// still owed for an AW already presented goes out with WSTRB = 0 (writes nothing), every B is
// awaited, wr_ready_o stays low, and err_* hold the first error until clear_i. clear_i (soft
// reset) does the same without an error, drops buffered stream data, and returns to idle once
// every B has arrived (cmd_ready_o stays low until then).
`include "tessel_assert.svh"
`include "tessel_axi_typedef.svh"

module tessel_dma_wr
  import tessel_dma_pkg::*;
#(
  /// Bits per AXI data beat and per beat of the input stream (64, 128, 256 or 512).
  parameter int unsigned DataWidth = tessel_config_pkg::AxiDataWidth,
  /// AXI ID bits.
  parameter int unsigned IdWidth = tessel_config_pkg::AxiIdWidth,
  /// ID of every write burst (a single ID keeps write responses in order).
  parameter logic [IdWidth-1:0] AxiId = '0,
  /// Write bursts in flight at most (AW presented, B not yet received).
  parameter int unsigned MaxOutstanding = tessel_config_pkg::AxiMaxOutstanding,
  /// The write half of the AXI4 bus (tessel_axi_typedef.svh) at DataWidth, IdWidth, AddrWidth.
  parameter type wr_req_t = axi_wr_req_t,
  parameter type wr_resp_t = axi_wr_resp_t,
  localparam int unsigned BeatBytes = DataWidth / 8
) (
  input  logic                    clk_i,
  input  logic                    rst_i,
  input  logic                    clear_i,       // soft reset (one cycle)
  input  logic                    stop_i,        // stop as after an error, recording none
  input  logic [AddrWidth-1:0]    win_base_i,    // first byte the engine may write
  input  logic [AddrWidth-1:0]    win_limit_i,   // first byte past the window

  input  logic                    cmd_valid_i,
  output logic                    cmd_ready_o,
  input  dma_cmd_t                cmd_i,

  input  logic                    wr_valid_i,
  output logic                    wr_ready_o,
  input  logic [DataWidth-1:0]    wr_data_i,
  input  logic                    wr_last_i,     // final beat of the command

  output logic                    done_o,        // one cycle after the command's last B
  output logic                    busy_o,
  output logic                    err_valid_o,   // held until clear_i
  output dma_err_e                err_code_o,
  output logic [ExtAddrWidth-1:0] err_addr_o,

  output wr_req_t                 axi_req_o,     // AW, W and B ready of an AXI4 master
  input  wr_resp_t                axi_resp_i
);
  localparam int unsigned OffWidth = $clog2(BeatBytes);
  localparam int unsigned CntWidth = OffWidth + 1;   // 0..BeatBytes
  localparam int unsigned FillWidth = OffWidth + 2;  // 0..3*BeatBytes

  if (MaxOutstanding < 2) begin : gen_bad_outstanding
    $error("%m: tessel_dma_wr MaxOutstanding must be at least 2, got %0d", MaxOutstanding);
  end

  typedef struct packed {
    logic [OffWidth-1:0] first_off;  // first byte lane of the first beat
    logic [CntWidth-1:0] last_end;   // byte lanes of the last beat end here (1..BeatBytes)
    tessel_axi_pkg::len_t len;       // beats - 1
    logic                cmd_last;
  } w_track_t;

  typedef struct packed {
    logic [AddrWidth-1:0] addr;      // first byte (for the error address)
    logic                 cmd_last;
  } b_track_t;

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

  logic [13:0] burst_end_off;
  w_track_t    burst_w;
  b_track_t    burst_b;
  always_comb begin
    burst_end_off     = 14'(burst.addr[OffWidth-1:0]) + 14'(burst.bytes);
    burst_w.first_off = burst.addr[OffWidth-1:0];
    burst_w.last_end  = (burst_end_off[OffWidth-1:0] == '0) ? CntWidth'(BeatBytes)
                                                            : CntWidth'(burst_end_off[OffWidth-1:0]);
    burst_w.len       = 8'((burst_end_off + 14'(BeatBytes - 1)) >> OffWidth) - 8'd1;
    burst_w.cmd_last  = burst.cmd_last;
    burst_b.addr      = burst.addr[AddrWidth-1:0];
    burst_b.cmd_last  = burst.cmd_last;
  end

  // ---------------------------------------------------------------- AW channel
  logic     w_track_in_ready, w_track_valid, w_track_pop;
  logic     b_track_in_ready, b_track_valid, b_track_pop;
  w_track_t w_track;
  b_track_t b_track;
  logic     aw_valid_q;
  logic [AddrWidth-1:0] aw_addr_q;
  tessel_axi_pkg::len_t aw_len_q;

  assign burst_ready = w_track_in_ready && b_track_in_ready && (!aw_valid_q || axi_resp_i.aw_ready);
  wire   aw_load     = burst_valid && burst_ready;

  tessel_fifo #(.Width($bits(w_track_t)), .Depth(MaxOutstanding)) u_w_track (
    .clk_i      (clk_i),
    .rst_i      (rst_i),
    .in_valid_i (aw_load),
    .in_ready_o (w_track_in_ready),
    .in_data_i  (burst_w),
    .out_valid_o(w_track_valid),
    .out_ready_i(w_track_pop),
    .out_data_o (w_track),
    .count_o    ()
  );

  tessel_fifo #(.Width($bits(b_track_t)), .Depth(MaxOutstanding)) u_b_track (
    .clk_i      (clk_i),
    .rst_i      (rst_i),
    .in_valid_i (aw_load),
    .in_ready_o (b_track_in_ready),
    .in_data_i  (burst_b),
    .out_valid_o(b_track_valid),
    .out_ready_i(b_track_pop),
    .out_data_o (b_track),
    .count_o    ()
  );

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      aw_valid_q <= 1'b0;
    end else if (aw_load) begin
      aw_valid_q <= 1'b1;
    end else if (axi_resp_i.aw_ready) begin
      aw_valid_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (aw_load) begin
      aw_addr_q <= burst_b.addr;
      aw_len_q  <= burst_w.len;
    end
  end

  `TESSEL_AXI_ASSIGN_AX(axi_req_o.aw, AxiId, aw_addr_q, aw_len_q, tessel_axi_pkg::size_t'(OffWidth))
  assign axi_req_o.aw_valid = aw_valid_q;

  // ---------------------------------------------------------------- W channel
  tessel_axi_pkg::len_t beat_q;    // beat of the burst at the head of the W track FIFO
  logic [OffWidth-1:0] lo;
  logic [CntWidth-1:0] hi, n;
  logic                burst_last_beat;
  always_comb begin
    burst_last_beat = (beat_q == w_track.len);
    lo = (beat_q == 8'd0) ? w_track.first_off : '0;
    hi = burst_last_beat ? w_track.last_end : CntWidth'(BeatBytes);
    n  = hi - CntWidth'(lo);
  end

  // Unpack buffer: buf_q holds fill_q bytes of the stream from byte 0 (bytes above are zero).
  // A stream beat is taken while at most two beats are buffered; a W beat goes out once its
  // bytes are all here. Three beats of room keep one beat per cycle flowing when the bursts'
  // byte lanes are not aligned with the stream's (the decision uses registered state only).
  logic [3*DataWidth-1:0] buf_q;
  logic [FillWidth-1:0]   fill_q;
  logic                   seen_last_q;  // the command's final stream beat is in the buffer
  logic                   w_valid_q, w_last_q;
  logic [DataWidth-1:0]   w_data_q;
  logic [BeatBytes-1:0]   w_strb_q;

  assign wr_ready_o = !stopped && !seen_last_q && (fill_q <= FillWidth'(2 * BeatBytes));
  wire in_fire   = wr_valid_i && wr_ready_o;
  wire w_free    = !w_valid_q || axi_resp_i.w_ready;
  wire w_emit    = w_track_valid && w_free && (stopped || fill_q >= FillWidth'(n));
  wire consume   = w_emit && !stopped;
  wire cmd_end   = consume && burst_last_beat && w_track.cmd_last;
  assign w_track_pop = w_emit && burst_last_beat;

  logic [3*DataWidth-1:0] with_input;
  always_comb begin
    with_input = buf_q;
    if (in_fire) with_input = buf_q | ({{(2*DataWidth){1'b0}}, wr_data_i} << (8 * fill_q));
  end

  always_ff @(posedge clk_i) begin
    if (rst_i || clear_i || stopped) begin
      buf_q       <= '0;
      fill_q      <= '0;
      seen_last_q <= 1'b0;
    end else if (cmd_end) begin
      buf_q       <= '0;  // what is left is the padding of the command's final stream beat
      fill_q      <= '0;
      seen_last_q <= 1'b0;
    end else begin
      buf_q       <= with_input >> (consume ? 8 * n : 0);
      fill_q      <= fill_q + (in_fire ? FillWidth'(BeatBytes) : '0) - (consume ? FillWidth'(n) : '0);
      seen_last_q <= seen_last_q || (in_fire && wr_last_i);
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      w_valid_q <= 1'b0;
      beat_q    <= '0;
    end else begin
      if (w_emit) begin
        w_valid_q <= 1'b1;
        beat_q    <= burst_last_beat ? 8'd0 : beat_q + 8'd1;
      end else if (axi_resp_i.w_ready) begin
        w_valid_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (w_emit) begin
      w_data_q <= buf_q[DataWidth-1:0] << (8 * lo);
      w_strb_q <= stopped ? '0 : ({BeatBytes{1'b1}} >> (CntWidth'(BeatBytes) - n)) << lo;
      w_last_q <= burst_last_beat;
    end
  end

  assign axi_req_o.w.data  = w_data_q;
  assign axi_req_o.w.strb  = w_strb_q;
  assign axi_req_o.w.last  = w_last_q;
  assign axi_req_o.w_valid = w_valid_q;

  // ---------------------------------------------------------------- B channel, errors
  wire b_fire  = axi_resp_i.b_valid && axi_req_o.b_ready;
  wire b_error = axi_resp_i.b.resp[1];
  assign axi_req_o.b_ready = b_track_valid;
  assign b_track_pop  = b_fire;

  wire drained = !b_track_valid;  // every AW presented has had its B

  tessel_dma_stop #(.Write(1'b1)) u_stop (
    .clk_i           (clk_i),
    .rst_i           (rst_i),
    .clear_i         (clear_i),
    .stop_i          (stop_i),
    .drained_i       (drained),
    .resp_err_i      (b_fire && b_error),
    .resp_decerr_i   (axi_resp_i.b.resp[0]),
    .resp_err_addr_i (b_track.addr),
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
      done_o <= b_fire && b_track.cmd_last && !b_error && !stopped;
    end
  end

  // Busy until the done pulse of the last command has been given.
  assign busy_o      = gen_busy || b_track_valid || aw_valid_q || w_valid_q || fill_q != '0 ||
                       seen_last_q || aborting || done_o;

  // ---------------------------------------------------------------- checks
  `TESSEL_ASSERT(wr_b_expected, axi_resp_i.b_valid |-> b_track_valid)
  `TESSEL_ASSERT(wr_bid_matches, axi_resp_i.b_valid |-> (axi_resp_i.b.id == AxiId))
  `TESSEL_ASSERT(wr_no_aw_when_stopped, stopped |-> !aw_load)
  // Stopped: a W beat presented from now on writes nothing.
  `TESSEL_ASSERT(wr_no_strobe_when_stopped, (stopped && w_emit) |=> (axi_req_o.w.strb == '0))
  // The producer sends exactly the command's beats: the final W beat finds its bytes, and
  // what is left over is less than one beat of padding.
  `TESSEL_ASSERT(wr_stream_length, cmd_end |-> (seen_last_q && fill_q - FillWidth'(n) <
                                                                  FillWidth'(BeatBytes)))
  `TESSEL_ASSERT(wr_wanted_bytes_in_beat, w_track_valid |-> (n != '0 && hi > CntWidth'(lo)))

  `TESSEL_COVER(wr_waits_for_stream_bytes, w_track_valid && !stopped && fill_q < FillWidth'(n))
  `TESSEL_COVER(wr_beat_stalled_by_slave, axi_req_o.w_valid && !axi_resp_i.w_ready)
  `TESSEL_COVER(wr_stops_with_responses_owed, err_valid_o && !$past(err_valid_o) && b_track_valid)
endmodule
