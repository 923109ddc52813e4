// CRC-32 (IEEE 802.3, reflected, the polynomial of zlib.crc32), a byte at a time. The program's,
// the parameters' and the weights' check values (scripts/tessel/backend/integrity.py) use it.
package tessel_crc_pkg;
  localparam logic [31:0] Crc32Poly = 32'hEDB8_8320;

  function automatic logic [31:0] crc32_byte(logic [31:0] crc, logic [7:0] data);
    logic [31:0] c;
    c = crc ^ 32'(data);
    for (int i = 0; i < 8; i++) c = c[0] ? (c >> 1) ^ Crc32Poly : c >> 1;
    return c;
  endfunction
endpackage
