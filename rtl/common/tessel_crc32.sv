// CRC-32 of a stream of beats, lowest byte of a beat first: crc_o equals zlib.crc32 of the beats
// taken since the last clear_i. A beat's update is one balanced XOR tree per bit (tessel_crc_pkg).
module tessel_crc32
  import tessel_crc_pkg::*;
#(
  /// Bits per beat (whole bytes, at least the register's 32).
  parameter int unsigned DataBits = 128
) (
  input  logic                clk_i,
  input  logic                clear_i,   // start a new stream
  input  logic                valid_i,   // a beat of the stream
  input  logic [DataBits-1:0] data_i,
  output logic [31:0]         crc_o
);
  if (DataBits % 8 != 0 || DataBits < 32 || DataBits > Crc32MaxBits) begin : gen_bad_width
    $error("%m: DataBits must be whole bytes from 32 to %0d, got %0d", Crc32MaxBits, DataBits);
  end

  logic [31:0] crc_q, crc_d;
  wire [DataBits-1:0] message = data_i ^ DataBits'(crc_q);  // the register enters as the first bytes do
  for (genvar j = 0; j < 32; j++) begin : gen_bit
    localparam crc32_row_t Row = crc32_row(DataBits, 5'(j));
    assign crc_d[j] = ^(Row[DataBits-1:0] & message);
  end

  always_ff @(posedge clk_i) begin
    if (clear_i)      crc_q <= '1;
    else if (valid_i) crc_q <= crc_d;
  end
  assign crc_o = ~crc_q;
endmodule
