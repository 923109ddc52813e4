// Performance counters of a run, 64 bits each (no wrap in practice: 2^64 cycles at 300 MHz is
// 1950 years). All clear at start_i. `cycles` counts while the run is active: from start_i
// until done_i or error_i (or a soft reset); the others count whenever their inputs say so.
module tessel_perf_counters #(
  /// Bits of the per-cycle byte counts.
  parameter int unsigned BytesWidth = 16
) (
  input  logic                  clk_i,
  input  logic                  rst_i,
  input  logic                  start_i,          // a run starts: clear everything
  input  logic                  stop_i,           // soft reset: the run is over
  input  logic                  done_i,           // the run finished
  input  logic                  error_i,          // an error stopped the run (level)
  input  logic                  busy_i,           // the compute array works this cycle
  input  logic                  stall_i,          // the compute array waits for the DMA
  input  logic [BytesWidth-1:0] bytes_read_i,     // bytes the DMA delivered this cycle
  input  logic [BytesWidth-1:0] bytes_written_i,  // bytes the DMA took to write this cycle
  output logic [63:0]           cycles_o,
  output logic [63:0]           busy_cycles_o,
  output logic [63:0]           stall_cycles_o,
  output logic [63:0]           bytes_read_o,
  output logic [63:0]           bytes_written_o
);
  logic running_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      running_q <= 1'b0;
    end else if (start_i) begin
      running_q <= 1'b1;
    end else if (done_i || error_i || stop_i) begin
      running_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i || start_i) begin
      cycles_o        <= '0;
      busy_cycles_o   <= '0;
      stall_cycles_o  <= '0;
      bytes_read_o    <= '0;
      bytes_written_o <= '0;
    end else begin
      cycles_o        <= cycles_o + 64'(running_q);
      busy_cycles_o   <= busy_cycles_o + 64'(busy_i);
      stall_cycles_o  <= stall_cycles_o + 64'(stall_i);
      bytes_read_o    <= bytes_read_o + 64'(bytes_read_i);
      bytes_written_o <= bytes_written_o + 64'(bytes_written_i);
    end
  end
endmodule
