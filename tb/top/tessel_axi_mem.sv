// Simulation-only AXI4 memory: the DRAM window of a network-level run, fast enough that
// Python stays out of the per-cycle loop. Words of DataWidth bits cover [base, base+Bytes);
// base starts at Base and the bench may move it (below). Plusargs:
//   +dram=<file>       image loaded at the window's start: raw words, each DataWidth bits with
//                      its most significant byte first ($fread; runtime/simulation.py writes it)
//   +stall=<percent>   each cycle, each channel is not ready / not valid with this chance
//   +latency=<n>       cycles from a read address to its first data beat (bursts pipeline)
//   +seed=<n>          for the stalls
//   +ddr_bytes_per_kcycle=<n>  a board's DDR: every port's read and write beats share n bytes
//                      per 1000 cycles (tessel_dram_bandwidth, the block at the end; no limit
//                      without it)
// Bursts outside [base, base+Bytes) answer DECERR. ExtraReads more read-only ports (x_*_i/o,
// the weight masters) read the same words, each with its own queue, latency and stalls.
// The bench (runtime/sim_job.py) may also set, between runs, from Python:
//   base               where the window sits: the words move with it (a run at a high address
//                      sees the same images)
//   stall_pct          a long stall: 100 holds every channel
//   err_addr, err_resp, err_write, err_armed   arm a one-shot error: the first burst touching
//                      err_addr answers SLVERR (2) or DECERR (3), then the memory is healthy
//   guard_lo, guard_hi the window the accelerator was given: bursts reaching outside it are
//                      counted in guard_reads / guard_writes (guard_addr: the last one's first
//                      byte) and still answered, so a DMA that escapes its window is caught
//                      even where there is memory
// The buses are the configuration's (tessel_dma_pkg's axi_*_t, widths from tessel_config_pkg).
module tessel_axi_mem
  import tessel_dma_pkg::*;
#(
  parameter longint unsigned Base = 64'h1000_0000,
  parameter longint unsigned Bytes = 64'h100_0000,
  /// Read-only ports beside the full one (one tied-off port stands for none).
  parameter int unsigned ExtraReads = 0,
  localparam int unsigned XR = (ExtraReads > 0) ? ExtraReads : 1,
  localparam int unsigned Reads = 1 + ExtraReads,
  localparam int unsigned DataWidth = tessel_config_pkg::AxiDataWidth,
  localparam int unsigned IdWidth = tessel_config_pkg::AxiIdWidth,
  localparam int unsigned BeatBytes = DataWidth / 8,
  localparam int unsigned Words = Bytes / BeatBytes
) (
  input  logic                      clk_i,
  input  logic                      rst_i,
  input  axi_req_t                  axi_req_i,   // the full port
  output axi_resp_t                 axi_resp_o,
  input  axi_rd_req_t  [XR-1:0]     x_req_i,     // the read-only ports
  output axi_rd_resp_t [XR-1:0]     x_resp_o
);
  logic [DataWidth-1:0] mem [Words];

  longint unsigned base = Base;
  int unsigned stall_pct = 0, latency = 0, seed = 1, err_resp = 0, err_write = 0;
  longint unsigned err_addr = '1;
  string dram;
  int dram_fd;

  initial begin
    if ($value$plusargs("stall=%d", stall_pct)) ;
    if ($value$plusargs("latency=%d", latency)) ;
    if ($value$plusargs("seed=%d", seed)) ;
    if ($value$plusargs("dram=%s", dram)) begin  // binary: a 28 MB image loads 15x faster than hex
      dram_fd = $fopen(dram, "rb");
      if (dram_fd == 0) $fatal(1, "tessel_axi_mem: cannot open +dram=%s", dram);
      if ($fread(mem, dram_fd) == 0) $fatal(1, "tessel_axi_mem: +dram=%s is empty", dram);
      $fclose(dram_fd);
    end
  end

  // A xorshift generator per channel: stalls are random but reproducible from +seed.
  localparam int unsigned Channels = 2 + 2 * Reads;
  logic [31:0] lfsr_q [Channels];
  function automatic logic [31:0] xorshift(logic [31:0] x);
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return x;
  endfunction
  logic [Channels-1:0] go;  // aw, w, then ar, r of each read port: this channel may move
  logic ddr_ok;             // the DDR budget lets data channels (w, each r: odd) move a beat
  always_ff @(posedge clk_i) begin
    for (int i = 0; i < Channels; i++) begin
      if (rst_i) lfsr_q[i] <= 32'(seed) * 32'(2 * i + 1) + 32'h9e3779b9;
      else       lfsr_q[i] <= xorshift(lfsr_q[i]);
    end
  end
  always_comb for (int i = 0; i < Channels; i++)
    go[i] = (lfsr_q[i] % 100) >= stall_pct && (ddr_ok || i % 2 == 0);

  longint unsigned guard_lo = 0, guard_hi = '1, guard_addr = 0;
  int unsigned guard_reads = 0, guard_writes = 0;
  function automatic logic outside_guard(longint unsigned first, int unsigned beats);
    return first < guard_lo || first + longint'(beats) * BeatBytes > guard_hi;
  endfunction
  // Every read port's AR and R channels, port 0 the full port's.
  axi_rd_req_t  [Reads-1:0] rd_req;
  axi_rd_resp_t [Reads-1:0] rd_resp;
  assign rd_req[0]      = axi_req_i.rd;
  assign axi_resp_o.rd  = rd_resp[0];
  for (genvar p = 1; p < Reads; p++) begin : gen_extra
    assign rd_req[p]     = x_req_i[p-1];
    assign x_resp_o[p-1] = rd_resp[p];
  end
  if (ExtraReads == 0) begin : gen_no_extra
    assign x_resp_o = '0;
  end

  logic [Reads-1:0] ar_outside;
  logic [Reads-1:0][AddrWidth-1:0] ar_first;
  always_comb for (int p = 0; p < Reads; p++) begin
    ar_first[p]   = rd_req[p].ar.addr & ~AddrWidth'(BeatBytes - 1);
    ar_outside[p] = rd_req[p].ar_valid && rd_resp[p].ar_ready && outside_guard(longint'(ar_first[p]), int'(rd_req[p].ar.len) + 1);
  end
  wire [AddrWidth-1:0] aw_first = axi_req_i.wr.aw.addr & ~AddrWidth'(BeatBytes - 1);
  wire aw_outside = axi_req_i.wr.aw_valid && axi_resp_o.wr.aw_ready &&
                    outside_guard(longint'(aw_first), int'(axi_req_i.wr.aw.len) + 1);
  always_ff @(posedge clk_i) begin
    guard_reads <= guard_reads + $countones(ar_outside);
    if (aw_outside) guard_writes <= guard_writes + 1;
    if (aw_outside) guard_addr <= longint'(aw_first);
    else for (int p = 0; p < Reads; p++) if (ar_outside[p]) guard_addr <= longint'(ar_first[p]);
  end

  bit err_armed = 1'b1;
  function automatic logic [1:0] response(longint unsigned first, int unsigned beats, logic write);
    longint unsigned last = first + longint'(beats) * BeatBytes - 1;
    if (first < base || last >= base + Bytes) return 2'b11;  // DECERR: no memory there
    if (err_armed && err_resp != 0 && (write ? err_write != 0 : err_write == 0)
        && err_addr >= first && err_addr <= last) begin
      err_armed = 1'b0;
      return 2'(err_resp);
    end
    return 2'b00;
  endfunction

  // ---- reads: bursts queue up and each returns `latency` cycles after its address, in order,
  // so several bursts in flight hide the latency as a DRAM controller does (one queue per port)
  localparam int unsigned ReadQueue = 16;
  longint unsigned now_q;             // cycles since reset
  always_ff @(posedge clk_i) begin
    if (rst_i) now_q <= '0;
    else       now_q <= now_q + 1;
  end

  for (genvar p = 0; p < Reads; p++) begin : gen_read
    longint unsigned rq_addr [ReadQueue];
    longint unsigned rq_ready [ReadQueue];
    logic [7:0]      rq_left [ReadQueue];
    logic [IdWidth-1:0] rq_id [ReadQueue];
    logic [1:0]      rq_resp [ReadQueue];
    logic [$clog2(ReadQueue)-1:0] rq_head_q, rq_tail_q;
    logic [$clog2(ReadQueue):0]   rq_count_q;

    assign rd_resp[p].ar_ready = rq_count_q < ReadQueue && go[2 + 2 * p];
    logic r_hold_q;  // valid stays up once raised, until the beat is taken (AXI rule)
    wire r_ready_beat = rq_count_q != 0 && now_q >= rq_ready[rq_head_q];
    assign rd_resp[p].r_valid = r_ready_beat && (go[3 + 2 * p] || r_hold_q);
    assign rd_resp[p].r.id    = rq_id[rq_head_q];
    assign rd_resp[p].r.resp  = rq_resp[rq_head_q];
    assign rd_resp[p].r.last  = rq_left[rq_head_q] == 0;
    assign rd_resp[p].r.data  = rq_resp[rq_head_q] == 2'b00 ? mem[(rq_addr[rq_head_q] - base) / BeatBytes] : '0;

    always_ff @(posedge clk_i) begin
      if (rst_i) r_hold_q <= 1'b0;
      else       r_hold_q <= rd_resp[p].r_valid && !rd_req[p].r_ready;
    end

    always_ff @(posedge clk_i) begin
      if (rst_i) begin
        rq_head_q  <= '0;
        rq_tail_q  <= '0;
        rq_count_q <= '0;
      end else begin
        if (rd_req[p].ar_valid && rd_resp[p].ar_ready) begin
          rq_addr[rq_tail_q]  <= longint'(ar_first[p]);
          rq_left[rq_tail_q]  <= rd_req[p].ar.len;
          rq_id[rq_tail_q]    <= rd_req[p].ar.id;
          rq_resp[rq_tail_q]  <= response(longint'(ar_first[p]), int'(rd_req[p].ar.len) + 1, 1'b0);
          rq_ready[rq_tail_q] <= now_q + longint'(latency);
          rq_tail_q <= rq_tail_q + 1'b1;
        end
        if (rd_resp[p].r_valid && rd_req[p].r_ready) begin
          rq_left[rq_head_q] <= rq_left[rq_head_q] - 8'd1;
          rq_addr[rq_head_q] <= rq_addr[rq_head_q] + BeatBytes;
          if (rd_resp[p].r.last) rq_head_q <= rq_head_q + 1'b1;
        end
        rq_count_q <= rq_count_q + ($clog2(ReadQueue)+1)'(rd_req[p].ar_valid && rd_resp[p].ar_ready)
                                 - ($clog2(ReadQueue)+1)'(rd_resp[p].r_valid && rd_req[p].r_ready && rd_resp[p].r.last);
      end
    end
  end

  // ---- writes: one burst at a time --------------------------------------------------------------------
  logic            w_active_q, b_pending_q;
  longint unsigned w_addr_q;
  logic [IdWidth-1:0] w_id_q;
  logic [1:0]      w_resp_q;

  assign axi_resp_o.wr.aw_ready = !w_active_q && !b_pending_q && go[0];
  assign axi_resp_o.wr.w_ready  = w_active_q && go[1];
  assign axi_resp_o.wr.b_valid  = b_pending_q;
  assign axi_resp_o.wr.b.id     = w_id_q;
  assign axi_resp_o.wr.b.resp   = w_resp_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      w_active_q  <= 1'b0;
      b_pending_q <= 1'b0;
    end else begin
      if (axi_req_i.wr.aw_valid && axi_resp_o.wr.aw_ready) begin
        w_active_q <= 1'b1;
        w_addr_q   <= longint'(axi_req_i.wr.aw.addr) & ~longint'(BeatBytes - 1);
        w_id_q     <= axi_req_i.wr.aw.id;
        w_resp_q   <= response(longint'(axi_req_i.wr.aw.addr) & ~longint'(BeatBytes - 1), int'(axi_req_i.wr.aw.len) + 1, 1'b1);
      end
      if (axi_req_i.wr.w_valid && axi_resp_o.wr.w_ready) begin
        if (w_resp_q == 2'b00) begin
          for (int b = 0; b < BeatBytes; b++) begin
            if (axi_req_i.wr.w.strb[b]) mem[(w_addr_q - base) / BeatBytes][b*8 +: 8] <= axi_req_i.wr.w.data[b*8 +: 8];
          end
        end
        w_addr_q <= w_addr_q + BeatBytes;
        if (axi_req_i.wr.w.last) begin
          w_active_q  <= 1'b0;
          b_pending_q <= 1'b1;
        end
      end
      if (axi_resp_o.wr.b_valid && axi_req_i.wr.b_ready) b_pending_q <= 1'b0;
    end
  end

  // ---- DDR bandwidth: one budget for the write beats and every read port's beats ------------
  logic [Reads:0] ddr_beat;  // w, then the r of each read port: a beat moved this cycle
  always_comb begin
    ddr_beat[0] = axi_req_i.wr.w_valid && axi_resp_o.wr.w_ready;
    for (int p = 0; p < Reads; p++) ddr_beat[p + 1] = rd_resp[p].r_valid && rd_req[p].r_ready;
  end
  tessel_dram_bandwidth #(.BeatBytes(BeatBytes), .Channels(Reads + 1)) u_ddr (
    .clk_i, .rst_i, .beat_i(ddr_beat), .ok_o(ddr_ok)
  );
endmodule
