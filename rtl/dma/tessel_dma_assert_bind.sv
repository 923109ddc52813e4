// Binds the AXI4 protocol checker (tessel_axi_assert) to both DMA masters in simulation.
// Each engine drives half of an AXI4 master, so the other half is tied to 0 (with the
// configured bus's types: the checker needs some).
`ifdef TESSEL_ASSERT_ON
bind tessel_dma_rd tessel_axi_assert #(
  .AddrWidth(tessel_dma_pkg::AddrWidth),
  .wr_req_t (tessel_dma_pkg::axi_wr_req_t),
  .wr_resp_t(tessel_dma_pkg::axi_wr_resp_t),
  .rd_req_t (rd_req_t),
  .rd_resp_t(rd_resp_t)
) u_axi_assert (
  .clk_i    (clk_i),
  .rst_i    (rst_i),
  .wr_req_i ('0),
  .wr_resp_i('0),
  .rd_req_i (axi_req_o),
  .rd_resp_i(axi_resp_i)
);

bind tessel_dma_wr tessel_axi_assert #(
  .AddrWidth(tessel_dma_pkg::AddrWidth),
  .wr_req_t (wr_req_t),
  .wr_resp_t(wr_resp_t),
  .rd_req_t (tessel_dma_pkg::axi_rd_req_t),
  .rd_resp_t(tessel_dma_pkg::axi_rd_resp_t)
) u_axi_assert (
  .clk_i    (clk_i),
  .rst_i    (rst_i),
  .wr_req_i (axi_req_o),
  .wr_resp_i(axi_resp_i),
  .rd_req_i ('0),
  .rd_resp_i('0)
);
`endif
