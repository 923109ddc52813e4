// Binds the AXI4 protocol checker (tessel_axi_assert) to both DMA masters in simulation.
// Each engine drives half of an AXI4 master, so the other half's valids are tied low.
`ifdef TESSEL_ASSERT_ON
bind tessel_dma_rd tessel_axi_assert #(
  .DataWidth(DataWidth),
  .AddrWidth(tessel_dma_pkg::AddrWidth),
  .IdWidth  (IdWidth)
) u_axi_assert (
  .clk_i    (clk_i),
  .rst_i    (rst_i),
  .awid_i   ('0),
  .awaddr_i ('0),
  .awlen_i  ('0),
  .awsize_i ('0),
  .awburst_i('0),
  .awvalid_i(1'b0),
  .awready_i(1'b0),
  .wdata_i  ('0),
  .wstrb_i  ('0),
  .wlast_i  (1'b0),
  .wvalid_i (1'b0),
  .wready_i (1'b0),
  .bid_i    ('0),
  .bresp_i  ('0),
  .bvalid_i (1'b0),
  .bready_i (1'b0),
  .arid_i   (m_axi_arid),
  .araddr_i (m_axi_araddr),
  .arlen_i  (m_axi_arlen),
  .arsize_i (m_axi_arsize),
  .arburst_i(m_axi_arburst),
  .arvalid_i(m_axi_arvalid),
  .arready_i(m_axi_arready),
  .rid_i    (m_axi_rid),
  .rdata_i  (m_axi_rdata),
  .rresp_i  (m_axi_rresp),
  .rlast_i  (m_axi_rlast),
  .rvalid_i (m_axi_rvalid),
  .rready_i (m_axi_rready)
);

bind tessel_dma_wr tessel_axi_assert #(
  .DataWidth(DataWidth),
  .AddrWidth(tessel_dma_pkg::AddrWidth),
  .IdWidth  (IdWidth)
) u_axi_assert (
  .clk_i    (clk_i),
  .rst_i    (rst_i),
  .awid_i   (m_axi_awid),
  .awaddr_i (m_axi_awaddr),
  .awlen_i  (m_axi_awlen),
  .awsize_i (m_axi_awsize),
  .awburst_i(m_axi_awburst),
  .awvalid_i(m_axi_awvalid),
  .awready_i(m_axi_awready),
  .wdata_i  (m_axi_wdata),
  .wstrb_i  (m_axi_wstrb),
  .wlast_i  (m_axi_wlast),
  .wvalid_i (m_axi_wvalid),
  .wready_i (m_axi_wready),
  .bid_i    (m_axi_bid),
  .bresp_i  (m_axi_bresp),
  .bvalid_i (m_axi_bvalid),
  .bready_i (m_axi_bready),
  .arid_i   ('0),
  .araddr_i ('0),
  .arlen_i  ('0),
  .arsize_i ('0),
  .arburst_i('0),
  .arvalid_i(1'b0),
  .arready_i(1'b0),
  .rid_i    ('0),
  .rdata_i  ('0),
  .rresp_i  ('0),
  .rlast_i  (1'b0),
  .rvalid_i (1'b0),
  .rready_i (1'b0)
);
`endif
