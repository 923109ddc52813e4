// CRC-32 (IEEE 802.3, reflected, the polynomial of zlib.crc32). The program's, the parameters'
// and the weights' check values (scripts/tessel/backend/integrity.py) use it.
//
// The hardware takes a whole message (a beat, with its index) per cycle. Run a byte at a time,
// that is a chain of some 20 LUT levels; but the CRC register after a message is linear over
// GF(2) in the register before it and the message's bits, so each of its bits is the XOR of a
// fixed subset of them: crc32_row builds that subset at elaboration, and the bit is one
// reduction XOR (a balanced tree, 3 LUT levels for 160 inputs).
package tessel_crc_pkg;
  localparam logic [31:0] Crc32Poly = 32'hEDB8_8320;
  /// Bits of the longest message crc32_row takes: a 1024-bit beat (AXI4's widest) and its index.
  localparam int unsigned Crc32MaxBits = 1024 + 32;
  typedef logic [Crc32MaxBits-1:0] crc32_row_t;

  function automatic logic [31:0] crc32_byte(logic [31:0] crc, logic [7:0] data);
    logic [31:0] c;
    c = crc ^ 32'(data);
    for (int i = 0; i < 8; i++) c = c[0] ? (c >> 1) ^ Crc32Poly : c >> 1;
    return c;
  endfunction

  // The register after `bytes` zero bytes from `crc`.
  function automatic logic [31:0] crc32_zeros(logic [31:0] crc, int unsigned bytes);
    for (int b = 0; b < bytes; b++) crc = crc32_byte(crc, 8'h00);
    return crc;
  endfunction

  // Which bits of a `bits`-bit message (byte b is bits 8b+7..8b, the first byte lowest) make
  // bit j of the register after it, from a register of zeros: bit i of the row is bit j of the
  // register after a message of bit i alone. A register c before the message adds as message
  // bits 31..0 do (the first four bytes are XORed into it), so a beat's update is
  // ^(row & (message ^ c)).
  function automatic crc32_row_t crc32_row(int unsigned bits, logic [4:0] j);
    crc32_row_t row = '0;
    logic [7:0][31:0] after;  // the register after bit t of a byte and the zero bytes that follow
    for (int t = 0; t < 8; t++) after[t] = crc32_byte('0, 8'(1 << t));
    for (int b = int'(bits / 8) - 1; b >= 0; b--) begin
      for (int t = 0; t < 8; t++) begin
        row[8*b + t] = after[t][j];
        after[t]     = crc32_byte(after[t], 8'h00);
      end
    end
    return row;
  endfunction
endpackage
