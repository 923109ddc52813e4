// AXI4 channel and bus structs, built in the manner of pulp-platform axi's typedef.svh: a
// struct per channel, then request (master to slave) and response (slave to master) structs
// per bus. The project's masters either read or write, so each bus is a write half (AW, W,
// B) and a read half (AR, R); a full bus holds both (`req.wr.aw.addr`, `resp.rd.r.data`).
// tessel_dma_pkg builds the configured bus (axi_*_t); a module with its own widths takes
// the types as parameters. Flat, AXI-named ports of the same buses: tessel_axi_port.svh.
`ifndef TESSEL_AXI_TYPEDEF_SVH
`define TESSEL_AXI_TYPEDEF_SVH

// AW and AR.
`define TESSEL_AXI_TYPEDEF_AX_CHAN_T(ax_chan_t, addr_t, id_t) \
  typedef struct packed { \
    id_t                    id; \
    addr_t                  addr; \
    tessel_axi_pkg::len_t   len; \
    tessel_axi_pkg::size_t  size; \
    tessel_axi_pkg::burst_t burst; \
    logic                   lock; \
    tessel_axi_pkg::cache_t cache; \
    tessel_axi_pkg::prot_t  prot; \
    tessel_axi_pkg::qos_t   qos; \
  } ax_chan_t;
// An AW or AR request as every master here issues it: one ID, INCR bursts of `size`, normal
// non-cacheable bufferable data, no lock, no QoS.
`define TESSEL_AXI_ASSIGN_AX(ax, id_v, addr_v, len_v, size_v) \
  assign ax.id    = id_v; \
  assign ax.addr  = addr_v; \
  assign ax.len   = len_v; \
  assign ax.size  = size_v; \
  assign ax.burst = tessel_axi_pkg::BurstIncr; \
  assign ax.lock  = 1'b0; \
  assign ax.cache = tessel_axi_pkg::CacheBufferable; \
  assign ax.prot  = tessel_axi_pkg::ProtData; \
  assign ax.qos   = '0;
`define TESSEL_AXI_TYPEDEF_W_CHAN_T(w_chan_t, data_t, strb_t) \
  typedef struct packed { data_t data; strb_t strb; logic last; } w_chan_t;
`define TESSEL_AXI_TYPEDEF_B_CHAN_T(b_chan_t, id_t) \
  typedef struct packed { id_t id; tessel_axi_pkg::resp_t resp; } b_chan_t;
`define TESSEL_AXI_TYPEDEF_R_CHAN_T(r_chan_t, data_t, id_t) \
  typedef struct packed { id_t id; data_t data; tessel_axi_pkg::resp_t resp; logic last; } r_chan_t;

// The halves. Field order is the order of the flat ports (tessel_axi_port.svh relies on it).
`define TESSEL_AXI_TYPEDEF_WR_REQ_T(wr_req_t, aw_chan_t, w_chan_t) \
  typedef struct packed { \
    aw_chan_t aw; logic aw_valid; w_chan_t w; logic w_valid; logic b_ready; \
  } wr_req_t;
`define TESSEL_AXI_TYPEDEF_WR_RESP_T(wr_resp_t, b_chan_t) \
  typedef struct packed { logic aw_ready; logic w_ready; b_chan_t b; logic b_valid; } wr_resp_t;
`define TESSEL_AXI_TYPEDEF_RD_REQ_T(rd_req_t, ar_chan_t) \
  typedef struct packed { ar_chan_t ar; logic ar_valid; logic r_ready; } rd_req_t;
`define TESSEL_AXI_TYPEDEF_RD_RESP_T(rd_resp_t, r_chan_t) \
  typedef struct packed { logic ar_ready; r_chan_t r; logic r_valid; } rd_resp_t;

// A full bus.
`define TESSEL_AXI_TYPEDEF_REQ_T(req_t, wr_req_t, rd_req_t) \
  typedef struct packed { wr_req_t wr; rd_req_t rd; } req_t;
`define TESSEL_AXI_TYPEDEF_RESP_T(resp_t, wr_resp_t, rd_resp_t) \
  typedef struct packed { wr_resp_t wr; rd_resp_t rd; } resp_t;

// All of one bus: name_aw_chan_t ... name_r_chan_t, name_wr_req_t, name_wr_resp_t,
// name_rd_req_t, name_rd_resp_t, name_req_t, name_resp_t.
`define TESSEL_AXI_TYPEDEF_ALL(name, addr_t, id_t, data_t, strb_t) \
  `TESSEL_AXI_TYPEDEF_AX_CHAN_T(name``_aw_chan_t, addr_t, id_t) \
  `TESSEL_AXI_TYPEDEF_W_CHAN_T(name``_w_chan_t, data_t, strb_t) \
  `TESSEL_AXI_TYPEDEF_B_CHAN_T(name``_b_chan_t, id_t) \
  `TESSEL_AXI_TYPEDEF_AX_CHAN_T(name``_ar_chan_t, addr_t, id_t) \
  `TESSEL_AXI_TYPEDEF_R_CHAN_T(name``_r_chan_t, data_t, id_t) \
  `TESSEL_AXI_TYPEDEF_WR_REQ_T(name``_wr_req_t, name``_aw_chan_t, name``_w_chan_t) \
  `TESSEL_AXI_TYPEDEF_WR_RESP_T(name``_wr_resp_t, name``_b_chan_t) \
  `TESSEL_AXI_TYPEDEF_RD_REQ_T(name``_rd_req_t, name``_ar_chan_t) \
  `TESSEL_AXI_TYPEDEF_RD_RESP_T(name``_rd_resp_t, name``_r_chan_t) \
  `TESSEL_AXI_TYPEDEF_REQ_T(name``_req_t, name``_wr_req_t, name``_rd_req_t) \
  `TESSEL_AXI_TYPEDEF_RESP_T(name``_resp_t, name``_wr_resp_t, name``_rd_resp_t)

`endif
