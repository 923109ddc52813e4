// KP x YP dot-product engines. Row k takes output channel k's CP weights, column p takes
// pixel p's CP activations; each engine accumulates one output over a pass. When a pass's
// last step has been accumulated, the whole block of KP x YP int32 sums is offered for one
// cycle (block_valid_o); the next pass overwrites it one cycle later.
module tessel_dpe_array
  import tessel_config_pkg::*;
  import tessel_arith_pkg::DpeLatency;
#(
  /// Output channels (rows).
  parameter int unsigned KP = ArrayKP,
  /// Output pixels (columns).
  parameter int unsigned YP = ArrayYP,
  /// Reduction lanes per engine.
  parameter int unsigned CP = ArrayCP,
  /// Two int8 multiplies per DSP (see tessel_dpe_pair).
  parameter bit DspPacking = ArrayDspPacking
) (
  input  logic clk_i,
  input  logic rst_i,
  input  logic                         valid_i,
  input  logic                         first_i,
  input  logic                         last_i,
  input  logic [KP-1:0][CP-1:0][7:0]   weights_i,  // [row][lane] int8
  input  logic [YP-1:0][CP-1:0][7:0]   acts_i,     // [column][lane] uint8
  output logic                         block_valid_o,
  output logic [YP-1:0][KP-1:0][31:0]  block_o     // [pixel][channel] int32
);
  if (KP % 2 != 0) begin : gen_bad_kp
    $error("%m: KP must be even (engines come in pairs), got %0d", KP);
  end

  for (genvar p = 0; p < YP; p++) begin : gen_col
    for (genvar k = 0; k < KP; k += 2) begin : gen_pair
      tessel_dpe_pair #(.CP(CP), .DspPacking(DspPacking)) u_pair (
        .clk_i,
        .valid_i (valid_i),
        .first_i (first_i),
        .act_i   (acts_i[p]),
        .w0_i    (weights_i[k]),
        .w1_i    (weights_i[k + 1]),
        .acc0_o  (block_o[p][k]),
        .acc1_o  (block_o[p][k + 1])
      );
    end
  end

  // The block is complete when its last step leaves the engines' last stage.
  logic [DpeLatency-1:0] last_pipe_q;
  always_ff @(posedge clk_i) begin
    if (rst_i) last_pipe_q <= '0;
    else       last_pipe_q <= {last_pipe_q[DpeLatency-2:0], valid_i && last_i};
  end
  assign block_valid_o = last_pipe_q[DpeLatency-1];
endmodule
