// Smoke test of tessel_sim_top without Python (FuseSoC target `sim`, verilator --binary):
// after reset, reads ID, PARAM_COUNT and every build-parameter register over AXI4-Lite and
// compares them with the generated packages. Prints PASS or stops with $fatal.
module tessel_sim_smoke;
  timeunit 1ns;
  timeprecision 1ps;
  import tessel_regs_pkg::*;

  logic clk = 1'b0, rst = 1'b1;
  always #5 clk = ~clk;

  logic [RegsAddrWidth-1:0] araddr;
  logic arvalid = 1'b0, arready, rvalid, rready = 1'b1;
  logic [31:0] rdata;
  logic [1:0] rresp;
  logic irq, awready, wready, bvalid;
  logic [1:0] bresp;

  tessel_sim_top u_dut (
    .clk_i (clk), .rst_i (rst), .irq_o (irq),
    .s_axil_awaddr ('0), .s_axil_awvalid (1'b0), .s_axil_awready (awready),
    .s_axil_wdata ('0), .s_axil_wstrb ('0), .s_axil_wvalid (1'b0), .s_axil_wready (wready),
    .s_axil_bresp (bresp), .s_axil_bvalid (bvalid), .s_axil_bready (1'b1),
    .s_axil_araddr (araddr), .s_axil_arvalid (arvalid), .s_axil_arready (arready),
    .s_axil_rdata (rdata), .s_axil_rresp (rresp), .s_axil_rvalid (rvalid),
    .s_axil_rready (rready)
  );

  // The testbench drives 1 ns after a rising edge and samples 3 ns after it; a handshake seen
  // there completes at the next rising edge.
  task automatic read_reg(input logic [RegsAddrWidth-1:0] addr, output logic [31:0] data);
    araddr  = addr;
    arvalid = 1'b1;
    #2;
    while (!arready) begin @(posedge clk); #3; end
    @(posedge clk);
    #1 arvalid = 1'b0;
    #2;
    while (!rvalid) begin @(posedge clk); #3; end
    if (rresp != 2'b00) $fatal(1, "read of %h answered %0d", addr, rresp);
    data = rdata;
    @(posedge clk);
    #1;
  endtask

  task automatic expect_reg(input string name, input logic [RegsAddrWidth-1:0] addr,
                            input logic [31:0] want);
    logic [31:0] got;
    read_reg(addr, got);
    if (got !== want) $fatal(1, "%s (%h) reads %h, expected %h", name, addr, got, want);
  endtask

  initial begin
    repeat (8) @(posedge clk);
    #1 rst = 1'b0;
    repeat (4) @(posedge clk);
    #1;
    expect_reg("ID", IdOffset, RegsId);
    expect_reg("PARAM_COUNT", ParamCountOffset, NumParams);
    for (int i = 0; i < NumParams; i++) begin
      expect_reg($sformatf("PARAM %0d", i), ParamOffset + RegsAddrWidth'(4 * i), ParamValues[i]);
    end
    if (irq) $fatal(1, "interrupt raised without a program");
    $display("PASS: tessel_sim_smoke read ID and %0d build parameters", NumParams);
    $finish;
  end

  initial begin
    #100us $fatal(1, "timeout");
  end
endmodule
