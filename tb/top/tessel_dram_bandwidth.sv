// Simulation-only: a board's DDR bandwidth for tessel_axi_mem, one budget that every port's
// read and write beats share (the cost model's Memory.ddr_bytes_per_cycle, docs/cost_model.md).
//   +ddr_bytes_per_kcycle=<n>   bytes per 1000 cycles the memory moves at most (0 or absent:
//                               no limit, every channel a beat per cycle as before)
// A token bucket in thousandths of a byte: n come in each cycle, a beat that moves takes
// BeatBytes * 1000. Channels may start beats while the bucket is not empty; the beats of one
// cycle may overdraw it, and the next wait until it refills. It holds at most one cycle's
// refill and one beat, so idle cycles are not saved up for later: over any stretch of busy
// cycles the bytes moved stay within the rate, plus one cycle's beats.
module tessel_dram_bandwidth #(
  parameter int unsigned BeatBytes = 16,
  parameter int unsigned Channels = 2      // channels that move data beats
) (
  input  logic                clk_i,
  input  logic                rst_i,
  input  logic [Channels-1:0] beat_i,     // a beat moved on this channel this cycle
  output logic                ok_o        // a channel may start a beat this cycle
);
  localparam longint BeatCost = longint'(BeatBytes) * 1000;
  int unsigned rate = 0;
  initial if ($value$plusargs("ddr_bytes_per_kcycle=%d", rate)) ;

  longint tokens_q, tokens_d;
  always_comb begin
    tokens_d = tokens_q + longint'(rate) - longint'($countones(beat_i)) * BeatCost;
    if (tokens_d > longint'(rate) + BeatCost) tokens_d = longint'(rate) + BeatCost;
  end
  always_ff @(posedge clk_i) begin
    if (rst_i) tokens_q <= BeatCost;
    else       tokens_q <= tokens_d;
  end
  assign ok_o = rate == 0 || tokens_q > 0;
endmodule
