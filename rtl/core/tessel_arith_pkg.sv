// The integer primitives of docs/quantization.md, as the RTL computes them.
package tessel_arith_pkg;
  localparam int unsigned W = 72;  // wide enough for every product of the contract
  // Cycles from a step's operands at a dot-product engine to its sums (tessel_dpe_pair).
  localparam int unsigned DpeLatency = 6;

  // p / 2^s rounded to nearest, ties to even: (p + 2^(s-1) - 1 + bit_s(p)) >>> s, s >= 1.
  function automatic logic signed [W-1:0] round_shift(logic signed [W-1:0] p, logic [5:0] s);
    logic signed [W-1:0] half_minus_one, odd;
    if (s == 6'd0) return p;
    half_minus_one = (W'(1) <<< (s - 6'd1)) - W'(1);
    odd = (p >>> s) & W'(1);
    return (p + half_minus_one + odd) >>> s;
  endfunction

  // Add the zero point and clamp to [lo, hi] (a subrange of uint8). Every operand is made
  // signed: one unsigned operand would turn the comparison unsigned and negatives huge.
  function automatic logic [7:0] saturate(logic signed [W-1:0] v, logic [7:0] zero,
                                          logic [7:0] lo, logic [7:0] hi);
    logic signed [W-1:0] t, lo_w, hi_w;
    t    = v + signed'(W'(zero));
    lo_w = signed'(W'(lo));
    hi_w = signed'(W'(hi));
    if (t < lo_w) return lo;
    if (t > hi_w) return hi;
    return t[7:0];
  endfunction
endpackage
