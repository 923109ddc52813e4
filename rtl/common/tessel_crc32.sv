// CRC-32 of a stream of beats, lowest byte of a beat first: crc_o equals zlib.crc32 of the beats
// taken since the last clear_i.
module tessel_crc32
  import tessel_crc_pkg::*;
#(
  /// Bits per beat (whole bytes).
  parameter int unsigned DataBits = 128
) (
  input  logic                clk_i,
  input  logic                clear_i,   // start a new stream
  input  logic                valid_i,   // a beat of the stream
  input  logic [DataBits-1:0] data_i,
  output logic [31:0]         crc_o
);
  logic [31:0] crc_q;

  function automatic logic [31:0] update(logic [31:0] crc, logic [DataBits-1:0] data);
    for (int b = 0; b < DataBits / 8; b++) crc = crc32_byte(crc, data[8*b +: 8]);
    return crc;
  endfunction

  always_ff @(posedge clk_i) begin
    if (clear_i)      crc_q <= '1;
    else if (valid_i) crc_q <= update(crc_q, data_i);
  end
  assign crc_o = ~crc_q;
endmodule
