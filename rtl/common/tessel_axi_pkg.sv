// AXI4 field types and encodings the project uses (the widths the AXI4 specification fixes;
// the configured address, ID and data widths are in tessel_config_pkg). The channel and bus
// structs built from them: rtl/common/tessel_axi_typedef.svh.
package tessel_axi_pkg;
  /// Data bits of the AXI4-Lite register port.
  localparam int unsigned AxiLiteDataWidth = 32;

  typedef logic [7:0] len_t;    // beats - 1
  typedef logic [2:0] size_t;   // log2(bytes per beat)
  typedef logic [1:0] burst_t;
  typedef logic [3:0] cache_t;
  typedef logic [2:0] prot_t;
  typedef logic [3:0] qos_t;
  typedef logic [1:0] resp_t;   // OKAY 0; bit 1 marks an error, bit 0 DECERR (3) from SLVERR (2)

  localparam burst_t BurstIncr = 2'b01;
  /// Normal, non-cacheable, bufferable.
  localparam cache_t CacheBufferable = 4'b0011;
  /// Unprivileged, secure, data.
  localparam prot_t ProtData = 3'b000;
endpackage
