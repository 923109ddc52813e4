// Two dot-product engines of one column: output channels k and k+1 share the column's CP
// activations. Each lane multiplies one uint8 activation by two int8 weights; with
// DspPacking both products come from one 27x9 multiply (one DSP48E2):
//   (w1 * 2^18 + w0) * a = a*w0 + a*w1 * 2^18,  |a*w0| < 2^17
//   a*w0 = low 18 bits (signed);  a*w1 = (product >>> 18) + bit 17 (undo the low field's borrow)
// Sums of each pass accumulate in int32; `first` restarts them. Latency: DpeLatency (6)
// cycles to acc_o, each stage within the 300 MHz LUT-level budget of docs/fpga.md ("Timing"):
// operands registered (the DSP's A/B registers), the product registered (its P register), the
// packed products split, the lane sum in two halves of its adder tree, the accumulation.
module tessel_dpe_pair
  import tessel_arith_pkg::DpeLatency;
#(
  /// Reduction lanes.
  parameter int unsigned CP = 16,
  /// One DSP for both products of a lane (1) or one each (0); both are bit-exact.
  parameter bit DspPacking = 1'b1
) (
  input  logic                clk_i,
  input  logic                valid_i,
  input  logic                first_i,
  input  logic [CP-1:0][7:0]  act_i,  // uint8
  input  logic [CP-1:0][7:0]  w0_i,   // int8, output channel k
  input  logic [CP-1:0][7:0]  w1_i,   // int8, output channel k+1
  output logic signed [31:0]  acc0_o,
  output logic signed [31:0]  acc1_o
);
  localparam int unsigned SumWidth = 17 + $clog2(CP + 1);
  localparam int unsigned Parts = 4;              // partial sums of the first tree half
  localparam int unsigned PartLanes = CP / Parts;

  // valid and first travel beside the data: stage s of the pipeline holds ctrl_q[s-1].
  logic [DpeLatency-2:0] valid_q, first_q;
  always_ff @(posedge clk_i) begin
    valid_q <= {valid_q[DpeLatency-3:0], valid_i};
    first_q <= {first_q[DpeLatency-3:0], first_i};
  end

  // ---- stage 1: operands (with packing, w1 * 2^18 + w0 as one 27-bit multiplicand) --------
  // Element selects of a packed array are unsigned: read them through signed'().
  logic signed [CP-1:0][26:0] mul_w0_q;  // packed weights, or w0 alone
  logic signed [CP-1:0][7:0]  mul_w1_q;  // w1 without packing
  logic        [CP-1:0][8:0]  mul_a_q;   // the activation as a non-negative signed value
  always_ff @(posedge clk_i) begin
    for (int unsigned l = 0; l < CP; l++) begin
      mul_w0_q[l] <= DspPacking ? (27'(signed'(w1_i[l])) <<< 18) + 27'(signed'(w0_i[l]))
                                : 27'(signed'(w0_i[l]));
      mul_w1_q[l] <= w1_i[l];
      mul_a_q[l]  <= {1'b0, act_i[l]};
    end
  end

  // ---- stage 2: products -------------------------------------------------------------------
  logic signed [CP-1:0][35:0] prod0_q;
  logic signed [CP-1:0][16:0] prod1_q;  // without packing only
  always_ff @(posedge clk_i) begin
    for (int unsigned l = 0; l < CP; l++) begin
      prod0_q[l] <= signed'(mul_w0_q[l]) * signed'(mul_a_q[l]);
      prod1_q[l] <= DspPacking ? '0 : 17'(signed'(mul_w1_q[l]) * signed'(mul_a_q[l]));
    end
  end

  // ---- stage 3: the two products of each lane (with packing: the split above) ---------------
  logic [CP-1:0][16:0] p0_q, p1_q;
  always_ff @(posedge clk_i) begin
    for (int unsigned l = 0; l < CP; l++) begin
      if (DspPacking) begin
        p0_q[l] <= 17'(signed'(prod0_q[l][17:0]));
        p1_q[l] <= 17'((signed'(prod0_q[l]) >>> 18) + 36'(prod0_q[l][17]));
      end else begin
        p0_q[l] <= 17'(signed'(prod0_q[l]));
        p1_q[l] <= prod1_q[l];
      end
    end
  end

  // ---- stage 4: partial sums over PartLanes lanes each -------------------------------------
  logic signed [Parts-1:0][SumWidth-1:0] part0_q, part1_q;
  always_ff @(posedge clk_i) begin
    logic signed [SumWidth-1:0] s0, s1;
    for (int unsigned q = 0; q < Parts; q++) begin
      s0 = '0;
      s1 = '0;
      for (int unsigned l = q * PartLanes; l < (q + 1) * PartLanes; l++) begin
        s0 += SumWidth'(signed'(p0_q[l]));
        s1 += SumWidth'(signed'(p1_q[l]));
      end
      part0_q[q] <= s0;
      part1_q[q] <= s1;
    end
  end

  // ---- stage 5: the lane sums -----------------------------------------------------------------
  logic signed [SumWidth-1:0] s0_q, s1_q;
  always_ff @(posedge clk_i) begin
    logic signed [SumWidth-1:0] s0, s1;
    s0 = '0;
    s1 = '0;
    for (int unsigned q = 0; q < Parts; q++) begin
      s0 += signed'(part0_q[q]);
      s1 += signed'(part1_q[q]);
    end
    s0_q <= s0;
    s1_q <= s1;
  end

  // ---- stage 6: accumulate ---------------------------------------------------------------
  always_ff @(posedge clk_i) begin
    if (valid_q[DpeLatency-2]) begin
      acc0_o <= (first_q[DpeLatency-2] ? 32'sd0 : acc0_o) + 32'(s0_q);
      acc1_o <= (first_q[DpeLatency-2] ? 32'sd0 : acc1_o) + 32'(s1_q);
    end
  end
endmodule
