// Tessel accelerator: AXI4-Lite registers, an AXI4 master to DRAM (plus axi.weight_ports
// read-only masters for weights), an interrupt. After the host writes the window and program
// base and sets CTRL.START, the tiling controller runs the whole program (tessel_ctrl) on the
// compute core (tessel_core) through the DMA (tessel_dma, tessel_dma_weights), then raises the
// interrupt. A soft reset stops everything cleanly. With no weight masters the m_axi_wt_*
// ports are one tied-off master (SV has no optional ports); the FPGA shell leaves them out.
// The AXI ports are flat, AXI-named wires (tessel_axi_port.svh) for Vivado; inside, each bus is
// one request and one response struct (tessel_axi_typedef.svh), converted here and only here.
`include "tessel_axi_port.svh"

module tessel_top
  import tessel_config_pkg::*;
  import tessel_dma_pkg::*;
  import tessel_ctrl_pkg::*;
  import tessel_regs_pkg::*;
#(
  localparam int unsigned DataWidth = AxiDataWidth,
  localparam int unsigned IdWidth = AxiIdWidth,
  localparam int unsigned BeatBytes = DataWidth / 8,
  localparam int unsigned WP = (AxiWeightPorts > 0) ? AxiWeightPorts : 1
) (
  input  logic                       clk_i,
  input  logic                       rst_i,
  output logic                       irq_o,
  // Registers.
  `TESSEL_AXIL_PORTS(s_axil, input, output, RegsAddrWidth, tessel_axi_pkg::AxiLiteDataWidth),
  // DRAM.
  `TESSEL_AXI_PORTS(m_axi, output, input, , IdWidth, AddrWidth, DataWidth),
  // DRAM, weight masters (read only).
  `TESSEL_AXI_RD_PORTS(m_axi_wt, output, input, [WP-1:0], IdWidth, AddrWidth, DataWidth)
);
  if (DataWidth != ArrayCP * 8) begin : gen_bad_width
    $error("%m: axi.data_width (%0d) must be 8 * array.c_p (%0d): one beat is one word",
           DataWidth, ArrayCP * 8);
  end

  logic start, soft_reset, irq_en;
  logic [AddrWidth-1:0] prog_base, win_base, win_limit;

  // ---- DMA ------------------------------------------------------------------------------------
  // The controller's ports of the engines (tessel_dma_pkg), and the AXI buses.
  dma_rd_req_t  rd_req;
  dma_rd_resp_t rd_resp;
  dma_wr_req_t  wr_req;
  dma_wr_resp_t wr_resp;
  dma_rd_req_t  [WP-1:0] wm_req;
  dma_rd_resp_t [WP-1:0] wm_resp;
  logic main_busy, main_err, wm_busy, wm_err;
  dma_err_e main_err_code, wm_err_code;
  logic [ExtAddrWidth-1:0] main_err_addr, wm_err_addr;
  axi_req_t  dma_req;
  axi_resp_t dma_resp;
  axi_rd_req_t  [WP-1:0] wm_axi_req;
  axi_rd_resp_t [WP-1:0] wm_axi_resp;

  // The flat boundary.
  assign `TESSEL_AXI_WR_REQ(m_axi, ) = dma_req.wr;
  assign `TESSEL_AXI_RD_REQ(m_axi, ) = dma_req.rd;
  assign dma_resp.wr = `TESSEL_AXI_WR_RESP(m_axi, );
  assign dma_resp.rd = `TESSEL_AXI_RD_RESP(m_axi, );
  for (genvar p = 0; p < WP; p++) begin : gen_wt_bus
    assign `TESSEL_AXI_RD_REQ(m_axi_wt, [p]) = wm_axi_req[p];
    assign wm_axi_resp[p] = `TESSEL_AXI_RD_RESP(m_axi_wt, [p]);
  end

  tessel_dma u_dma (
    .clk_i, .rst_i, .clear_i (soft_reset), .stop_i (wm_err),
    .win_base_i (win_base), .win_limit_i (win_limit),
    .rd_cmd_valid_i (rd_req.cmd_valid), .rd_cmd_ready_o (rd_resp.cmd_ready), .rd_cmd_i (rd_req.cmd),
    .rd_valid_o (rd_resp.valid), .rd_ready_i (rd_req.ready), .rd_data_o (rd_resp.data),
    .rd_last_o (rd_resp.last), .rd_bytes_o (rd_resp.bytes), .rd_done_o (),
    .wr_cmd_valid_i (wr_req.cmd_valid), .wr_cmd_ready_o (wr_resp.cmd_ready), .wr_cmd_i (wr_req.cmd),
    .wr_valid_i (wr_req.valid), .wr_ready_o (wr_resp.ready), .wr_data_i (wr_req.data),
    .wr_last_i (wr_req.last), .wr_done_o (wr_resp.done),
    .busy_o (main_busy), .err_valid_o (main_err), .err_code_o (main_err_code),
    .err_addr_o (main_err_addr),
    .axi_req_o (dma_req), .axi_resp_i (dma_resp)
  );

  if (AxiWeightPorts > 0) begin : gen_wm
    tessel_dma_weights #(.Ports(AxiWeightPorts)) u_dma_weights (
      .clk_i, .rst_i, .clear_i (soft_reset), .stop_i (main_err),
      .win_base_i (win_base), .win_limit_i (win_limit),
      .port_req_i (wm_req), .port_resp_o (wm_resp),
      .busy_o (wm_busy), .err_valid_o (wm_err), .err_code_o (wm_err_code),
      .err_addr_o (wm_err_addr),
      .axi_req_o (wm_axi_req), .axi_resp_i (wm_axi_resp)
    );
  end else begin : gen_no_wm
    assign {wm_busy, wm_err, wm_err_code, wm_err_addr} = '0;
    assign wm_resp = '0;
    assign wm_axi_req = '0;
    logic unused_wm;
    assign unused_wm = ^{wm_req, wm_axi_resp};
  end

  // The main DMA's report wins when both fail in one cycle (each stops the other at once).
  logic dma_busy, dma_err;
  dma_err_e dma_err_code;
  logic [ExtAddrWidth-1:0] dma_err_addr;
  assign dma_busy     = main_busy || wm_busy;
  assign dma_err      = main_err || wm_err;
  assign dma_err_code = main_err ? main_err_code : wm_err_code;
  assign dma_err_addr = main_err ? main_err_addr : wm_err_addr;

  // Bytes the read streams delivered this cycle: the last beat of a read may be partial.
  function automatic logic [15:0] delivered(logic take, logic last, beat_bytes_t bytes);
    return take ? (last ? 16'(bytes) : 16'(BeatBytes)) : 16'd0;
  endfunction
  logic [15:0] bytes_read;
  always_comb begin
    bytes_read = delivered(rd_resp.valid && rd_req.ready, rd_resp.last, rd_resp.bytes);
    for (int p = 0; p < WP; p++) begin
      bytes_read += delivered(wm_resp[p].valid && wm_req[p].ready, wm_resp[p].last,
                              wm_resp[p].bytes);
    end
  end

  // ---- controller and core -----------------------------------------------------------------
  logic ctrl_busy, ctrl_done, ctrl_err, layer_done, core_idle;
  ctrl_err_e ctrl_err_code;
  logic [AddrWidth-1:0] ctrl_err_addr;
  logic [15:0] layer_index;
  logic [31:0] layer_cycles;
  logic core_start, core_done, core_busy;
  tessel_desc_pkg::tile_desc_t core_desc;
  logic act_wr_valid, wt_wr_valid, param_wr_valid, res_wr_valid, out_rd_en;
  logic [$clog2(tessel_desc_pkg::act_banks(ArrayYP))-1:0] act_wr_bank;
  logic [tessel_desc_pkg::ActAddrWidth-1:0] act_wr_addr;
  logic [ArrayCP*8-1:0] act_wr_data;
  logic [tessel_desc_pkg::WeightAddrWidth-1:0] wt_wr_addr;
  logic [ArrayKP*ArrayCP*8-1:0] wt_wr_data;
  logic [tessel_desc_pkg::ParamAddrWidth-1:0] param_wr_addr;
  tessel_desc_pkg::param_chan_t [ArrayKP-1:0] param_wr_data;
  logic [(PpuPixels > 1 ? $clog2(PpuPixels) : 1)-1:0] res_wr_bank, out_rd_bank;
  logic [tessel_desc_pkg::OutAddrWidth-1:0] res_wr_addr, out_rd_addr;
  logic [ArrayKP*8-1:0] res_wr_data, out_rd_data;

  tessel_ctrl u_ctrl (
    .clk_i, .rst_i, .clear_i (soft_reset),
    .start_i (start), .program_base_i (prog_base), .win_base_i (win_base),
    .busy_o (ctrl_busy), .done_o (ctrl_done), .err_valid_o (ctrl_err), .err_code_o (ctrl_err_code),
    .err_addr_o (ctrl_err_addr), .layer_done_o (layer_done), .layer_index_o (layer_index),
    .layer_cycles_o (layer_cycles), .core_idle_o (core_idle),
    .rd_req_o (rd_req), .rd_resp_i (rd_resp), .wr_req_o (wr_req), .wr_resp_i (wr_resp),
    .dma_err_i (dma_err), .wm_req_o (wm_req), .wm_resp_i (wm_resp),
    .core_start_o (core_start), .core_desc_o (core_desc), .core_done_i (core_done),
    .act_wr_valid_o (act_wr_valid), .act_wr_bank_o (act_wr_bank), .act_wr_addr_o (act_wr_addr),
    .act_wr_data_o (act_wr_data), .wt_wr_valid_o (wt_wr_valid), .wt_wr_addr_o (wt_wr_addr),
    .wt_wr_data_o (wt_wr_data), .param_wr_valid_o (param_wr_valid), .param_wr_addr_o (param_wr_addr),
    .param_wr_data_o (param_wr_data), .res_wr_valid_o (res_wr_valid), .res_wr_bank_o (res_wr_bank),
    .res_wr_addr_o (res_wr_addr), .res_wr_data_o (res_wr_data), .out_rd_en_o (out_rd_en),
    .out_rd_bank_o (out_rd_bank), .out_rd_addr_o (out_rd_addr), .out_rd_data_i (out_rd_data)
  );

  tessel_core u_core (
    .clk_i, .rst_i (rst_i || soft_reset),
    .start_i (core_start), .desc_i (core_desc), .busy_o (core_busy), .done_o (core_done),
    .act_wr_valid_i (act_wr_valid), .act_wr_bank_i (act_wr_bank), .act_wr_addr_i (act_wr_addr),
    .act_wr_data_i (act_wr_data), .wt_wr_valid_i (wt_wr_valid), .wt_wr_addr_i (wt_wr_addr),
    .wt_wr_data_i (wt_wr_data), .param_wr_valid_i (param_wr_valid), .param_wr_addr_i (param_wr_addr),
    .param_wr_data_i (param_wr_data), .res_wr_valid_i (res_wr_valid), .res_wr_bank_i (res_wr_bank),
    .res_wr_addr_i (res_wr_addr), .res_wr_data_i (res_wr_data),
    .out_rd_en_i (out_rd_en), .out_rd_bank_i (out_rd_bank), .out_rd_addr_i (out_rd_addr),
    .out_rd_data_o (out_rd_data), .cycles_o (), .mac_lanes_o ()
  );

  // ---- registers ------------------------------------------------------------------------------
  tessel_regs u_regs (
    .clk_i, .rst_i,
    .s_axil_awaddr, .s_axil_awvalid, .s_axil_awready, .s_axil_wdata, .s_axil_wstrb,
    .s_axil_wvalid, .s_axil_wready, .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
    .s_axil_araddr, .s_axil_arvalid, .s_axil_arready, .s_axil_rdata, .s_axil_rresp,
    .s_axil_rvalid, .s_axil_rready,
    .start_o (start), .soft_reset_o (soft_reset), .irq_en_o (irq_en),
    .prog_base_o (prog_base), .win_base_o (win_base), .win_limit_o (win_limit), .irq_o,
    .busy_i (ctrl_busy || dma_busy),
    .done_i (ctrl_done),
    .error_i (ctrl_err || dma_err),
    .err_code_i (dma_err ? 8'(dma_err_code) : 8'(ctrl_err_code)),
    .err_addr_i (dma_err ? 64'(dma_err_addr) : 64'(ctrl_err_addr)),
    .array_busy_i (core_busy),
    .dma_stall_i (core_idle),
    .bytes_read_i (bytes_read),
    .bytes_written_i (16'((wr_req.valid && wr_resp.ready) ? BeatBytes : 0)),
    .layer_cycles_we_i (layer_done),
    .layer_cycles_idx_i ($clog2(LayerCounters)'(layer_index)),
    .layer_cycles_i (64'(layer_cycles))
  );

  logic unused_top;
  assign unused_top = ^{irq_en, layer_index};  // layers past the counters are not recorded
endmodule
