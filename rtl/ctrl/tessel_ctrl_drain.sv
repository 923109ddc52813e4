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
  input  logic [GroupWidth-1:0]   groups_i,
  input  logic [CoordWidth-1:0]   rows_i,
  input  logic [CoordWidth-1:0]   width_i,
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

  // The tile being read: its size, and the word the walk is at (group g, row y, column x).
  typedef struct packed {
    logic   reading;
    group_t groups, g;
    coord_t rows, y, width, x;
    logic [OutAddrWidth-1:0] row_words, row_base;
  } walk_t;
  walk_t q, d;
  logic pending_q, pending_last_q;  // a word read last cycle (the tile's last)
  logic [$clog2(Depth+1)-1:0] count;

  wire last_x = q.x == q.width - 1'b1;
  wire last_y = q.y == q.rows - 1'b1;
  wire last_word = q.g == q.groups - 1'b1 && last_y && last_x;
  // Room for the word being read plus the one read last cycle.
  wire issue = q.reading && 32'(count) + 32'(pending_q) < Depth;

  assign rd_en_o   = issue;
  assign rd_bank_o = OutBankBits'(PP > 1 ? q.x : '0);
  assign rd_addr_o = q.row_base + OutAddrWidth'(32'(q.x) >> (PP > 1 ? OutBankBits : 0));
  assign busy_o    = q.reading || pending_q || wr_valid_o;

  // Walk the tile: columns, then rows, then groups.
  always_comb begin
    d = q;
    if (start_i) begin
      d = '{reading: 1'b1, groups: groups_i, rows: rows_i, width: width_i, row_words: row_words_i,
            row_base: base_i, default: '0};
    end else if (issue) begin
      if (last_word) d.reading = 1'b0;
      d.x = last_x ? '0 : q.x + 1'b1;
      if (last_x) begin
        d.row_base = q.row_base + q.row_words;
        d.y = last_y ? '0 : q.y + 1'b1;
        d.g = last_y ? q.g + 1'b1 : q.g;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      q.reading <= 1'b0;
      pending_q <= 1'b0;
    end else begin
      q              <= d;
      pending_q      <= issue;
      pending_last_q <= issue && last_word;
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
