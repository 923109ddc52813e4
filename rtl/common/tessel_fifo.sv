// Synchronous FIFO with valid/ready streams on both sides. Depth is any value >= 2;
// first-word fall-through (out_data is valid in the same cycle as out_valid).
`include "tessel_assert.svh"

module tessel_fifo #(
  /// Bits per entry.
  parameter int unsigned Width = 8,
  /// Entries.
  parameter int unsigned Depth = 4
) (
  input  logic             clk_i,
  input  logic             rst_i,
  input  logic             in_valid_i,
  output logic             in_ready_o,
  input  logic [Width-1:0] in_data_i,
  output logic             out_valid_o,
  input  logic             out_ready_i,
  output logic [Width-1:0] out_data_o,
  /// Entries currently held.
  output logic [$clog2(Depth+1)-1:0] count_o
);
  localparam int unsigned PtrWidth = (Depth > 1) ? $clog2(Depth) : 1;

  if (Depth < 2) begin : gen_bad_depth
    $error("%m: tessel_fifo Depth must be at least 2, got %0d", Depth);
  end

  localparam int unsigned CountWidth = $clog2(Depth + 1);

  logic [Width-1:0]      mem_q [Depth];
  logic [PtrWidth-1:0]   rd_ptr_q, wr_ptr_q;
  logic [CountWidth-1:0] count_q;

  wire push = in_valid_i && in_ready_o;
  wire pop  = out_valid_o && out_ready_i;

  assign in_ready_o  = (count_q != CountWidth'(Depth));
  assign out_valid_o = (count_q != '0);
  assign out_data_o  = mem_q[rd_ptr_q];
  assign count_o     = count_q;

  function automatic logic [PtrWidth-1:0] next(logic [PtrWidth-1:0] ptr);
    return (ptr == PtrWidth'(Depth - 1)) ? '0 : ptr + 1'b1;
  endfunction

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      rd_ptr_q <= '0;
      wr_ptr_q <= '0;
      count_q  <= '0;
    end else begin
      if (push) wr_ptr_q <= next(wr_ptr_q);
      if (pop)  rd_ptr_q <= next(rd_ptr_q);
      count_q <= count_q + CountWidth'(push) - CountWidth'(pop);
    end
  end

  always_ff @(posedge clk_i) begin
    if (push) mem_q[wr_ptr_q] <= in_data_i;
  end

  `TESSEL_ASSERT_STREAM(fifo_out, out_valid_o, out_ready_i, out_data_o)
  `TESSEL_ASSERT(fifo_count_in_range, count_q <= CountWidth'(Depth))
endmodule
