// Stop and error state of one DMA engine (tessel_dma_rd, tessel_dma_wr): the first error is
// recorded and held until clear_i; an error, clear_i or stop_i stops the engine; after clear_i
// the engine stays stopped until every burst in flight has drained (abort), so a soft reset
// never cuts an AXI transaction. A response error on the same cycle as a command error wins.
module tessel_dma_stop
  import tessel_dma_pkg::*;
#(
  /// The engine writes (1) or reads (0): picks the error codes it reports.
  parameter bit Write = 1'b0
) (
  input  logic                    clk_i,
  input  logic                    rst_i,
  input  logic                    clear_i,          // soft reset (one cycle)
  input  logic                    stop_i,           // stop as after an error, recording none
  input  logic                    drained_i,        // no burst in flight
  input  logic                    resp_err_i,       // an SLVERR or DECERR response arrives
  input  logic                    resp_decerr_i,    // ... and it is DECERR
  input  logic [AddrWidth-1:0]    resp_err_addr_i,  // ... for a byte at this address
  input  logic                    cmd_err_i,        // the burst walker reports an error
  input  logic                    cmd_err_window_i, // ... a window violation (else malformed)
  input  logic [ExtAddrWidth-1:0] cmd_err_addr_i,
  output logic                    stopped_o,        // issue nothing new, drain what is in flight
  output logic                    aborting_o,       // cleared, bursts still draining
  output logic                    err_valid_o,      // held until clear_i
  output dma_err_e                err_code_o,
  output logic [ExtAddrWidth-1:0] err_addr_o
);
  localparam dma_err_e ErrCmd    = Write ? DmaErrCmdWr : DmaErrCmdRd;
  localparam dma_err_e ErrWindow = Write ? DmaErrWindowWr : DmaErrWindowRd;
  localparam dma_err_e ErrSlverr = Write ? DmaErrSlverrWr : DmaErrSlverrRd;
  localparam dma_err_e ErrDecerr = Write ? DmaErrDecerrWr : DmaErrDecerrRd;

  logic     error_q, abort_q;
  dma_err_e err_code_q;
  logic [ExtAddrWidth-1:0] err_addr_q;

  // Stopped from the edge where clear_i is high or an error is recorded.
  assign stopped_o = error_q || abort_q || stop_i || clear_i;

  always_ff @(posedge clk_i) begin
    if (rst_i || clear_i) begin
      error_q    <= 1'b0;
      err_code_q <= DmaErrNone;
      err_addr_q <= '0;
    end else if (!stopped_o) begin
      if (resp_err_i) begin
        error_q    <= 1'b1;
        err_code_q <= resp_decerr_i ? ErrDecerr : ErrSlverr;
        err_addr_q <= ExtAddrWidth'(resp_err_addr_i);
      end else if (cmd_err_i) begin
        error_q    <= 1'b1;
        err_code_q <= cmd_err_window_i ? ErrWindow : ErrCmd;
        err_addr_q <= cmd_err_addr_i;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      abort_q <= 1'b0;
    end else if (clear_i) begin
      abort_q <= 1'b1;
    end else if (drained_i) begin
      abort_q <= 1'b0;
    end
  end

  assign aborting_o  = abort_q;
  assign err_valid_o = error_q;
  assign err_code_o  = err_code_q;
  assign err_addr_o  = err_addr_q;
endmodule
