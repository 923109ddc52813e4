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

  output logic [IdWidth-1:0]      m_axi_awid,
  output logic [AddrWidth-1:0]    m_axi_awaddr,
  output logic [7:0]              m_axi_awlen,
  output logic [2:0]              m_axi_awsize,
  output logic [1:0]              m_axi_awburst,
  output logic                    m_axi_awlock,
  output logic [3:0]              m_axi_awcache,
  output logic [2:0]              m_axi_awprot,
  output logic [3:0]              m_axi_awqos,
  output logic                    m_axi_awvalid,
  input  logic                    m_axi_awready,
  output logic [DataWidth-1:0]    m_axi_wdata,
  output logic [BeatBytes-1:0]    m_axi_wstrb,
  output logic                    m_axi_wlast,
  output logic                    m_axi_wvalid,
  input  logic                    m_axi_wready,
  input  logic [IdWidth-1:0]      m_axi_bid,
  input  logic [1:0]              m_axi_bresp,
  input  logic                    m_axi_bvalid,
  output logic                    m_axi_bready
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
    logic [7:0]          len;        // beats - 1
    logic                cmd_last;
  } w_track_t;

  typedef struct packed {
    logic [AddrWidth-1:0] addr;      // first byte (for the error address)
    logic                 cmd_last;
  } b_track_t;

  // ---------------------------------------------------------------- stop / soft reset state
  logic     error_q, abort_q;
  dma_err_e err_code_q;
  logic [ExtAddrWidth-1:0] err_addr_q;
  // Stopped: issue nothing new and drain what is in flight, from the edge where clear_i is
  // high or an error is recorded.
  wire      stopped = error_q || abort_q || stop_i || clear_i;

  // ---------------------------------------------------------------- bursts
  logic       burst_valid, burst_ready, gen_busy, gen_err, gen_err_window;
  dma_burst_t burst;
  logic [ExtAddrWidth-1:0] gen_err_addr;

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
  logic [7:0]           aw_len_q;

  assign burst_ready = w_track_in_ready && b_track_in_ready && (!aw_valid_q || m_axi_awready);
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
    end else if (m_axi_awready) begin
      aw_valid_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (aw_load) begin
      aw_addr_q <= burst_b.addr;
      aw_len_q  <= burst_w.len;
    end
  end

  assign m_axi_awid    = AxiId;
  assign m_axi_awaddr  = aw_addr_q;
  assign m_axi_awlen   = aw_len_q;
  assign m_axi_awsize  = 3'(OffWidth);
  assign m_axi_awburst = 2'b01;    // INCR
  assign m_axi_awlock  = 1'b0;
  assign m_axi_awcache = 4'b0011;  // normal, non-cacheable, bufferable
  assign m_axi_awprot  = 3'b000;
  assign m_axi_awqos   = 4'd0;
  assign m_axi_awvalid = aw_valid_q;

  // ---------------------------------------------------------------- W channel
  logic [7:0]          beat_q;     // beat of the burst at the head of the W track FIFO
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
  wire w_free    = !w_valid_q || m_axi_wready;
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
      end else if (m_axi_wready) begin
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

  assign m_axi_wdata  = w_data_q;
  assign m_axi_wstrb  = w_strb_q;
  assign m_axi_wlast  = w_last_q;
  assign m_axi_wvalid = w_valid_q;

  // ---------------------------------------------------------------- B channel, errors
  wire b_fire  = m_axi_bvalid && m_axi_bready;
  wire b_error = m_axi_bresp[1];
  assign m_axi_bready = b_track_valid;
  assign b_track_pop  = b_fire;

  always_ff @(posedge clk_i) begin
    if (rst_i || clear_i) begin
      error_q    <= 1'b0;
      err_code_q <= DmaErrNone;
      err_addr_q <= '0;
    end else if (!stopped) begin
      if (b_fire && b_error) begin
        error_q    <= 1'b1;
        err_code_q <= m_axi_bresp[0] ? DmaErrDecerrWr : DmaErrSlverrWr;
        err_addr_q <= ExtAddrWidth'(b_track.addr);
      end else if (gen_err) begin
        error_q    <= 1'b1;
        err_code_q <= gen_err_window ? DmaErrWindowWr : DmaErrCmdWr;
        err_addr_q <= gen_err_addr;
      end
    end
  end

  wire drained = !b_track_valid;  // every AW presented has had its B

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      abort_q <= 1'b0;
    end else if (clear_i) begin
      abort_q <= 1'b1;
    end else if (drained) begin
      abort_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      done_o <= 1'b0;
    end else begin
      done_o <= b_fire && b_track.cmd_last && !b_error && !stopped;
    end
  end

  // Busy until the done pulse of the last command has been given.
  assign busy_o      = gen_busy || b_track_valid || aw_valid_q || w_valid_q || fill_q != '0 ||
                       seen_last_q || abort_q || done_o;
  assign err_valid_o = error_q;
  assign err_code_o  = err_code_q;
  assign err_addr_o  = err_addr_q;

  // ---------------------------------------------------------------- checks
  `TESSEL_ASSERT(wr_b_expected, m_axi_bvalid |-> b_track_valid)
  `TESSEL_ASSERT(wr_bid_matches, m_axi_bvalid |-> (m_axi_bid == AxiId))
  `TESSEL_ASSERT(wr_no_aw_when_stopped, stopped |-> !aw_load)
  // Stopped: a W beat presented from now on writes nothing.
  `TESSEL_ASSERT(wr_no_strobe_when_stopped, (stopped && w_emit) |=> (m_axi_wstrb == '0))
  // The producer sends exactly the command's beats: the final W beat finds its bytes, and
  // what is left over is less than one beat of padding.
  `TESSEL_ASSERT(wr_stream_length, cmd_end |-> (seen_last_q && fill_q - FillWidth'(n) <
                                                                  FillWidth'(BeatBytes)))
  `TESSEL_ASSERT(wr_wanted_bytes_in_beat, w_track_valid |-> (n != '0 && hi > CntWidth'(lo)))

  `TESSEL_COVER(wr_waits_for_stream_bytes, w_track_valid && !stopped && fill_q < FillWidth'(n))
  `TESSEL_COVER(wr_beat_stalled_by_slave, m_axi_wvalid && !m_axi_wready)
  `TESSEL_COVER(wr_stops_with_responses_owed, error_q && !$past(error_q) && b_track_valid)
endmodule
