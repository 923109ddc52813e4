// The weights' check (scripts/tessel/backend/integrity.py): the 32-bit sum over a stream's beats
// of CRC-32(index, beat), the index (4 bytes, lowest first) counting on from index_i. Sums of
// several streams add up to the sum of all their beats, in whatever order they arrive. A beat
// counts in sum_o from the second cycle after it is taken (its check, then the sum).
module tessel_beat_check
  import tessel_crc_pkg::*;
#(
  /// Bits per beat (whole bytes).
  parameter int unsigned DataBits = 128,
  localparam int unsigned MessageBits = 32 + DataBits   // the index, then the beat
) (
  input  logic                clk_i,
  input  logic                start_i,   // a new stream whose first beat has index index_i
  input  logic [31:0]         index_i,
  input  logic                valid_i,
  input  logic [DataBits-1:0] data_i,
  output logic [31:0]         sum_o
);
  if (DataBits % 8 != 0 || MessageBits > Crc32MaxBits) begin : gen_bad_width
    $error("%m: DataBits must be whole bytes up to %0d, got %0d", Crc32MaxBits - 32, DataBits);
  end

  logic [31:0] index_q, check, check_q, sum_q;
  logic        check_valid_q;
  // A fixed-length message's CRC is affine in its bits: zlib's initial register of ones and
  // final inversion give the constant (the check of a message of zeros), a balanced XOR tree
  // per bit the rest.
  localparam logic [31:0] ZeroCheck = ~crc32_zeros('1, MessageBits / 8);
  wire [MessageBits-1:0] message = {data_i, index_q};
  for (genvar j = 0; j < 32; j++) begin : gen_bit
    localparam crc32_row_t Row = crc32_row(MessageBits, 5'(j));
    assign check[j] = ZeroCheck[j] ^ (^(Row[MessageBits-1:0] & message));
  end

  // stage 1 of 2: the beat's check, registered so the XOR trees and the sum's carry chain
  // are not one path; stage 2: the sum. A start drops a check still on its way.
  always_ff @(posedge clk_i) begin
    check_q <= check;
    if (start_i) begin
      index_q       <= index_i;
      check_valid_q <= 1'b0;
      sum_q         <= '0;
    end else begin
      check_valid_q <= valid_i;
      if (valid_i)       index_q <= index_q + 32'd1;
      if (check_valid_q) sum_q   <= sum_q + check_q;
    end
  end
  assign sum_o = sum_q;
endmodule
