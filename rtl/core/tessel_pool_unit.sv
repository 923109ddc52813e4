// Pooling reducers, one per column and lane: over a pass (the window's taps) each keeps the
// maximum of the uint8 codes (max pooling; padding reads as 0 and never wins) or the sum of
// (code - zero point) (average pooling; padding reads as the zero point and adds 0). A 1x1
// max "pool" is the identity: elementwise layers use it to stream a tensor into the PPU.
// Latency: 1 cycle; the block is offered for one cycle after the pass's last step.
module tessel_pool_unit
  import tessel_config_pkg::*;
#(
  /// Pixels (columns).
  parameter int unsigned YP = ArrayYP,
  /// Channels per word (lanes).
  parameter int unsigned CP = ArrayCP
) (
  input  logic clk_i,
  input  logic rst_i,
  input  logic                         valid_i,
  input  logic                         first_i,
  input  logic                         last_i,
  input  logic                         average_i,  // 0: maximum
  input  logic [7:0]                   zero_i,     // average pooling: input zero point
  input  logic [YP-1:0][CP-1:0][7:0]   acts_i,
  output logic                         block_valid_o,
  output logic [YP-1:0][CP-1:0][31:0]  block_o
);
  always_ff @(posedge clk_i) begin
    for (int unsigned p = 0; p < YP; p++) begin
      for (int unsigned l = 0; l < CP; l++) begin
        if (valid_i) begin
          logic signed [31:0] v;
          v = average_i ? 32'(acts_i[p][l]) - 32'(zero_i) : 32'(acts_i[p][l]);
          if (first_i)        block_o[p][l] <= v;
          else if (average_i) block_o[p][l] <= block_o[p][l] + v;
          else if (v > signed'(block_o[p][l])) block_o[p][l] <= v;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) block_valid_o <= 1'b0;
    else       block_valid_o <= valid_i && last_i;
  end
endmodule
