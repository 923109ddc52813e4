// Flat AXI4 / AXI4-Lite ports, named <pfx>_awid ... <pfx>_rready as Vivado and cocotbext-axi
// expect them, for the one place where a bus leaves the design as wires (tessel_top) and for
// testbench wrappers; inside, buses travel as the structs of tessel_axi_typedef.svh.
//   TESSEL_AXI_WR_PORTS / _RD_PORTS (pfx, req_dir, resp_dir, dims, id_w, addr_w, data_w):
//     the write / read half as a port list (no trailing comma). req_dir, resp_dir: output,
//     input on a master; input, output on a slave; input, input on a monitor. dims: empty,
//     or a packed dimension ([N-1:0]) for N buses side by side.
//   TESSEL_AXI_PORTS (same arguments): a full bus, both halves.
//   TESSEL_AXI_WR_SIGNALS / _RD_SIGNALS (pfx, dims, id_w, addr_w, data_w): the same wires as
//     signals, and TESSEL_AXI_WR_CONNECT / _RD_CONNECT (pfx): an instance's flat ports
//     connected to the signals of the same names.
//   TESSEL_AXI_WR_REQ / _WR_RESP / _RD_REQ / _RD_RESP (pfx, idx): the flat wires of one
//     struct as a concatenation in its field order, so `assign <concat> = req;` (or the other
//     way round) converts; idx selects bus idx of a dims array (empty for none).
`ifndef TESSEL_AXI_PORT_SVH
`define TESSEL_AXI_PORT_SVH

`define TESSEL_AXI_WR_PORTS(pfx, req_dir, resp_dir, dims, id_w, addr_w, data_w) \
  req_dir  logic dims [(id_w)-1:0]       pfx``_awid, \
  req_dir  logic dims [(addr_w)-1:0]     pfx``_awaddr, \
  req_dir  tessel_axi_pkg::len_t dims    pfx``_awlen, \
  req_dir  tessel_axi_pkg::size_t dims   pfx``_awsize, \
  req_dir  tessel_axi_pkg::burst_t dims  pfx``_awburst, \
  req_dir  logic dims                    pfx``_awlock, \
  req_dir  tessel_axi_pkg::cache_t dims  pfx``_awcache, \
  req_dir  tessel_axi_pkg::prot_t dims   pfx``_awprot, \
  req_dir  tessel_axi_pkg::qos_t dims    pfx``_awqos, \
  req_dir  logic dims                    pfx``_awvalid, \
  resp_dir logic dims                    pfx``_awready, \
  req_dir  logic dims [(data_w)-1:0]     pfx``_wdata, \
  req_dir  logic dims [(data_w)/8-1:0]   pfx``_wstrb, \
  req_dir  logic dims                    pfx``_wlast, \
  req_dir  logic dims                    pfx``_wvalid, \
  resp_dir logic dims                    pfx``_wready, \
  resp_dir logic dims [(id_w)-1:0]       pfx``_bid, \
  resp_dir tessel_axi_pkg::resp_t dims   pfx``_bresp, \
  resp_dir logic dims                    pfx``_bvalid, \
  req_dir  logic dims                    pfx``_bready

`define TESSEL_AXI_RD_PORTS(pfx, req_dir, resp_dir, dims, id_w, addr_w, data_w) \
  req_dir  logic dims [(id_w)-1:0]       pfx``_arid, \
  req_dir  logic dims [(addr_w)-1:0]     pfx``_araddr, \
  req_dir  tessel_axi_pkg::len_t dims    pfx``_arlen, \
  req_dir  tessel_axi_pkg::size_t dims   pfx``_arsize, \
  req_dir  tessel_axi_pkg::burst_t dims  pfx``_arburst, \
  req_dir  logic dims                    pfx``_arlock, \
  req_dir  tessel_axi_pkg::cache_t dims  pfx``_arcache, \
  req_dir  tessel_axi_pkg::prot_t dims   pfx``_arprot, \
  req_dir  tessel_axi_pkg::qos_t dims    pfx``_arqos, \
  req_dir  logic dims                    pfx``_arvalid, \
  resp_dir logic dims                    pfx``_arready, \
  resp_dir logic dims [(id_w)-1:0]       pfx``_rid, \
  resp_dir logic dims [(data_w)-1:0]     pfx``_rdata, \
  resp_dir tessel_axi_pkg::resp_t dims   pfx``_rresp, \
  resp_dir logic dims                    pfx``_rlast, \
  resp_dir logic dims                    pfx``_rvalid, \
  req_dir  logic dims                    pfx``_rready

`define TESSEL_AXI_PORTS(pfx, req_dir, resp_dir, dims, id_w, addr_w, data_w) \
  `TESSEL_AXI_WR_PORTS(pfx, req_dir, resp_dir, dims, id_w, addr_w, data_w), \
  `TESSEL_AXI_RD_PORTS(pfx, req_dir, resp_dir, dims, id_w, addr_w, data_w)

`define TESSEL_AXI_WR_SIGNALS(pfx, dims, id_w, addr_w, data_w) \
  logic dims [(id_w)-1:0] pfx``_awid, pfx``_bid; \
  logic dims [(addr_w)-1:0] pfx``_awaddr; \
  logic dims [(data_w)-1:0] pfx``_wdata; \
  logic dims [(data_w)/8-1:0] pfx``_wstrb; \
  tessel_axi_pkg::len_t dims pfx``_awlen; \
  tessel_axi_pkg::size_t dims pfx``_awsize; \
  tessel_axi_pkg::burst_t dims pfx``_awburst; \
  tessel_axi_pkg::cache_t dims pfx``_awcache; \
  tessel_axi_pkg::prot_t dims pfx``_awprot; \
  tessel_axi_pkg::qos_t dims pfx``_awqos; \
  tessel_axi_pkg::resp_t dims pfx``_bresp; \
  logic dims pfx``_awlock, pfx``_awvalid, pfx``_awready, pfx``_wlast, pfx``_wvalid, \
             pfx``_wready, pfx``_bvalid, pfx``_bready;

`define TESSEL_AXI_RD_SIGNALS(pfx, dims, id_w, addr_w, data_w) \
  logic dims [(id_w)-1:0] pfx``_arid, pfx``_rid; \
  logic dims [(addr_w)-1:0] pfx``_araddr; \
  logic dims [(data_w)-1:0] pfx``_rdata; \
  tessel_axi_pkg::len_t dims pfx``_arlen; \
  tessel_axi_pkg::size_t dims pfx``_arsize; \
  tessel_axi_pkg::burst_t dims pfx``_arburst; \
  tessel_axi_pkg::cache_t dims pfx``_arcache; \
  tessel_axi_pkg::prot_t dims pfx``_arprot; \
  tessel_axi_pkg::qos_t dims pfx``_arqos; \
  tessel_axi_pkg::resp_t dims pfx``_rresp; \
  logic dims pfx``_arlock, pfx``_arvalid, pfx``_arready, pfx``_rlast, pfx``_rvalid, \
             pfx``_rready;

`define TESSEL_AXI_WR_CONNECT(pfx) \
  .pfx``_awid, .pfx``_awaddr, .pfx``_awlen, .pfx``_awsize, .pfx``_awburst, .pfx``_awlock, \
  .pfx``_awcache, .pfx``_awprot, .pfx``_awqos, .pfx``_awvalid, .pfx``_awready, \
  .pfx``_wdata, .pfx``_wstrb, .pfx``_wlast, .pfx``_wvalid, .pfx``_wready, \
  .pfx``_bid, .pfx``_bresp, .pfx``_bvalid, .pfx``_bready
`define TESSEL_AXI_RD_CONNECT(pfx) \
  .pfx``_arid, .pfx``_araddr, .pfx``_arlen, .pfx``_arsize, .pfx``_arburst, .pfx``_arlock, \
  .pfx``_arcache, .pfx``_arprot, .pfx``_arqos, .pfx``_arvalid, .pfx``_arready, \
  .pfx``_rid, .pfx``_rdata, .pfx``_rresp, .pfx``_rlast, .pfx``_rvalid, .pfx``_rready

// Field order of the *_req_t / *_resp_t structs (tessel_axi_typedef.svh).
`define TESSEL_AXI_WR_REQ(pfx, idx) \
  {pfx``_awid idx, pfx``_awaddr idx, pfx``_awlen idx, pfx``_awsize idx, pfx``_awburst idx, \
   pfx``_awlock idx, pfx``_awcache idx, pfx``_awprot idx, pfx``_awqos idx, pfx``_awvalid idx, \
   pfx``_wdata idx, pfx``_wstrb idx, pfx``_wlast idx, pfx``_wvalid idx, pfx``_bready idx}
`define TESSEL_AXI_WR_RESP(pfx, idx) \
  {pfx``_awready idx, pfx``_wready idx, pfx``_bid idx, pfx``_bresp idx, pfx``_bvalid idx}
`define TESSEL_AXI_RD_REQ(pfx, idx) \
  {pfx``_arid idx, pfx``_araddr idx, pfx``_arlen idx, pfx``_arsize idx, pfx``_arburst idx, \
   pfx``_arlock idx, pfx``_arcache idx, pfx``_arprot idx, pfx``_arqos idx, pfx``_arvalid idx, \
   pfx``_rready idx}
`define TESSEL_AXI_RD_RESP(pfx, idx) \
  {pfx``_arready idx, pfx``_rid idx, pfx``_rdata idx, pfx``_rresp idx, pfx``_rlast idx, \
   pfx``_rvalid idx}

// AXI4-Lite (the register port): addresses and data only, as the register block takes them.
`define TESSEL_AXIL_PORTS(pfx, req_dir, resp_dir, addr_w, data_w) \
  req_dir  logic [(addr_w)-1:0]   pfx``_awaddr, \
  req_dir  logic                  pfx``_awvalid, \
  resp_dir logic                  pfx``_awready, \
  req_dir  logic [(data_w)-1:0]   pfx``_wdata, \
  req_dir  logic [(data_w)/8-1:0] pfx``_wstrb, \
  req_dir  logic                  pfx``_wvalid, \
  resp_dir logic                  pfx``_wready, \
  resp_dir tessel_axi_pkg::resp_t pfx``_bresp, \
  resp_dir logic                  pfx``_bvalid, \
  req_dir  logic                  pfx``_bready, \
  req_dir  logic [(addr_w)-1:0]   pfx``_araddr, \
  req_dir  logic                  pfx``_arvalid, \
  resp_dir logic                  pfx``_arready, \
  resp_dir logic [(data_w)-1:0]   pfx``_rdata, \
  resp_dir tessel_axi_pkg::resp_t pfx``_rresp, \
  resp_dir logic                  pfx``_rvalid, \
  req_dir  logic                  pfx``_rready

`endif
