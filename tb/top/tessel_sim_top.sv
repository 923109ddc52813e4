// Network-level simulation: the accelerator and a DRAM model, with the register port and the
// interrupt left for the testbench (Python programs registers and waits for the interrupt).
`include "tessel_axi_port.svh"

module tessel_sim_top
  import tessel_config_pkg::*;
  import tessel_dma_pkg::*;
  import tessel_regs_pkg::*;
#(
  /// DMA window base: where the DRAM model starts.
  parameter longint unsigned MemBase = 64'h1000_0000,
  /// DRAM model size in bytes.
  parameter longint unsigned MemBytes = 64'h200_0000
) (
  input  logic clk_i,
  input  logic rst_i,
  output logic irq_o,
  `TESSEL_AXIL_PORTS(s_axil, input, output, RegsAddrWidth, tessel_axi_pkg::AxiLiteDataWidth)
);
  localparam int unsigned DW = AxiDataWidth, AW = AxiAddrWidth, IW = AxiIdWidth;
  // The weight masters (one tied-off master when the configuration has none).
  localparam int unsigned WP = (AxiWeightPorts > 0) ? AxiWeightPorts : 1;
  // tessel_top's flat AXI ports, and the same buses as structs for the memory.
  `TESSEL_AXI_WR_SIGNALS(m_axi, , IW, AW, DW)
  `TESSEL_AXI_RD_SIGNALS(m_axi, , IW, AW, DW)
  `TESSEL_AXI_RD_SIGNALS(m_axi_wt, [WP-1:0], IW, AW, DW)
  axi_req_t  mem_req;
  axi_resp_t mem_resp;
  axi_rd_req_t  [WP-1:0] wt_req;
  axi_rd_resp_t [WP-1:0] wt_resp;

  tessel_top u_top (
    .clk_i, .rst_i, .irq_o,
    .s_axil_awaddr, .s_axil_awvalid, .s_axil_awready, .s_axil_wdata, .s_axil_wstrb,
    .s_axil_wvalid, .s_axil_wready, .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
    .s_axil_araddr, .s_axil_arvalid, .s_axil_arready, .s_axil_rdata, .s_axil_rresp,
    .s_axil_rvalid, .s_axil_rready,
    `TESSEL_AXI_WR_CONNECT(m_axi), `TESSEL_AXI_RD_CONNECT(m_axi), `TESSEL_AXI_RD_CONNECT(m_axi_wt)
  );

  assign mem_req.wr = `TESSEL_AXI_WR_REQ(m_axi, );
  assign mem_req.rd = `TESSEL_AXI_RD_REQ(m_axi, );
  assign `TESSEL_AXI_WR_RESP(m_axi, ) = mem_resp.wr;
  assign `TESSEL_AXI_RD_RESP(m_axi, ) = mem_resp.rd;
  for (genvar p = 0; p < WP; p++) begin : gen_wt_bus
    assign wt_req[p] = `TESSEL_AXI_RD_REQ(m_axi_wt, [p]);
    assign `TESSEL_AXI_RD_RESP(m_axi_wt, [p]) = wt_resp[p];
  end

  tessel_axi_mem #(.Base(MemBase), .Bytes(MemBytes), .ExtraReads(AxiWeightPorts)) u_mem (
    .clk_i, .rst_i,
    .axi_req_i (mem_req), .axi_resp_o (mem_resp), .x_req_i (wt_req), .x_resp_o (wt_resp)
  );
endmodule
