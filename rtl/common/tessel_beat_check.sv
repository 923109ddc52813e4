// The weights' check (scripts/tessel/backend/integrity.py): the 32-bit sum over a stream's beats
// of CRC-32(index, beat), the index (4 bytes, lowest first) counting on from index_i. Sums of
// several streams add up to the sum of all their beats, in whatever order they arrive.
module tessel_beat_check
  import tessel_crc_pkg::*;
#(
  /// Bits per beat (whole bytes).
  parameter int unsigned DataBits = 128
) (
  input  logic                clk_i,
  input  logic                start_i,   // a new stream whose first beat has index index_i
  input  logic [31:0]         index_i,
  input  logic                valid_i,
  input  logic [DataBits-1:0] data_i,
  output logic [31:0]         sum_o
);
  logic [31:0] index_q, sum_q;

  function automatic logic [31:0] check(logic [31:0] index, logic [DataBits-1:0] data);
    logic [31:0] crc;
    crc = '1;
    for (int b = 0; b < 4; b++) crc = crc32_byte(crc, index[8*b +: 8]);
    for (int b = 0; b < DataBits / 8; b++) crc = crc32_byte(crc, data[8*b +: 8]);
    return ~crc;
  endfunction

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      index_q <= index_i;
      sum_q   <= '0;
    end else if (valid_i) begin
      index_q <= index_q + 32'd1;
      sum_q   <= sum_q + check(index_q, data_i);
    end
  end
  assign sum_o = sum_q;
endmodule
