// Streams a tile's output words from the compute core's output buffer to the DMA write
// engine, in DRAM order: group, row, column (word (g, y, x) is in bank x mod PP at
// base + (g * rows + y) * out_wb + x / PP). The buffer's read takes a cycle, so words go
// through a small FIFO and reads are issued only when it has room: the DMA may stall freely.
`include "tessel_assert.svh"

module tessel_ctrl_drain
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
#(
  /// Bytes per output word.
  parameter int unsigned KP = ArrayKP,
  /// Output banks.
  parameter int unsigned PP = PpuPixels,
  localparam int unsigned OutBankBits = (PP > 1) ? $clog2(PP) : 1
) (
  input  logic clk_i,
  input  logic rst_i,
  input  logic                    start_i,
  input  logic [9:0]              groups_i,
  input  logic [11:0]             rows_i,
  input  logic [11:0]             width_i,
  input  logic [OutAddrWidth-1:0] row_words_i,
  input  logic [OutAddrWidth-1:0] base_i,
  output logic                    busy_o,
  // Output buffer read port (registered, 1 cycle).
  output logic                    rd_en_o,
  output logic [OutBankBits-1:0]  rd_bank_o,
  output logic [OutAddrWidth-1:0] rd_addr_o,
  input  logic [KP*8-1:0]         rd_data_i,
  // To the DMA write engine.
  output logic                    wr_valid_o,
  input  logic                    wr_ready_i,
  output logic [KP*8-1:0]         wr_data_o,
  output logic                    wr_last_o
);
  localparam int unsigned Depth = 4;

  logic        reading_q, pending_q, pending_last_q;
  logic [9:0]  g_q, groups_q;
  logic [11:0] y_q, x_q, rows_q, width_q;
  logic [OutAddrWidth-1:0] row_words_q;
  logic [OutAddrWidth-1:0] row_base_q;
  logic [$clog2(Depth+1)-1:0] count;

  wire last_word = g_q == groups_q - 10'd1 && y_q == rows_q - 12'd1 && x_q == width_q - 12'd1;
  // Room for the word being read plus the one read last cycle.
  wire issue = reading_q && 32'(count) + 32'(pending_q) < Depth;

  assign rd_en_o   = issue;
  assign rd_bank_o = OutBankBits'(PP > 1 ? x_q : 12'd0);
  assign rd_addr_o = row_base_q + OutAddrWidth'(32'(x_q) >> (PP > 1 ? OutBankBits : 0));
  assign busy_o    = reading_q || pending_q || wr_valid_o;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      reading_q <= 1'b0;
      pending_q <= 1'b0;
    end else begin
      pending_q      <= issue;
      pending_last_q <= issue && last_word;
      if (start_i) begin
        reading_q   <= 1'b1;
        groups_q    <= groups_i;
        rows_q      <= rows_i;
        width_q     <= width_i;
        row_words_q <= row_words_i;
        row_base_q  <= base_i;
        g_q <= '0; y_q <= '0; x_q <= '0;
      end else if (issue) begin
        if (last_word) reading_q <= 1'b0;
        if (x_q == width_q - 12'd1) begin
          x_q        <= '0;
          row_base_q <= row_base_q + row_words_q;
          if (y_q == rows_q - 12'd1) begin
            y_q <= '0;
            g_q <= g_q + 10'd1;
          end else begin
            y_q <= y_q + 12'd1;
          end
        end else begin
          x_q <= x_q + 12'd1;
        end
      end
    end
  end

  tessel_fifo #(.Width(KP * 8 + 1), .Depth(Depth)) u_words (
    .clk_i, .rst_i,
    .in_valid_i  (pending_q),
    .in_ready_o  (),
    .in_data_i   ({pending_last_q, rd_data_i}),
    .out_valid_o (wr_valid_o),
    .out_ready_i (wr_ready_i),
    .out_data_o  ({wr_last_o, wr_data_o}),
    .count_o     (count)
  );

  `TESSEL_ASSERT(drain_start_idle, start_i |-> !busy_o)
  `TESSEL_ASSERT_STREAM(drain_out, wr_valid_o, wr_ready_i, {wr_last_o, wr_data_o})
endmodule
