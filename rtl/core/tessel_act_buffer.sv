// Activation buffer: act_banks(YP) banks of CP-byte words (2 * YP rounded up to a power of
// two). Pixel (g, y, x) of the tile lives in bank x mod banks at word
// act_base + (g * ih + y) * act_wb + x / banks, so the YP columns of a step
// (image columns x0 + i*sx, sx <= 2, or a stride the compiler made conflict-free with `cols`)
// always read distinct banks. Positions outside the image read `pad_value` in every byte.
// Fixed latency: a step in cycle t gives its words in cycle t+3.
`include "tessel_assert.svh"

module tessel_act_buffer
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
#(
  /// Output pixels per step (DPE columns).
  parameter int unsigned YP = ArrayYP,
  /// Bytes per word (channels per group).
  parameter int unsigned CP = ArrayCP,
  /// Words per bank.
  parameter int unsigned BankWords = BuffersActBankWords,
  localparam int unsigned Banks = act_banks(YP),
  localparam int unsigned BankBits = $clog2(Banks)
) (
  input  logic clk_i,
  input  logic rst_i,
  // Loading: one word per cycle, addressed by bank and word.
  input  logic                    wr_valid_i,
  input  logic [BankBits-1:0]     wr_bank_i,
  input  logic [ActAddrWidth-1:0] wr_addr_i,
  input  logic [CP*8-1:0]         wr_data_i,
  // Reading: the step's coordinates; the tile geometry comes from the descriptor.
  input  tile_desc_t              desc_i,
  input  logic                    rd_valid_i,
  input  logic [9:0]              rd_group_i,
  input  logic signed [13:0]      rd_y_i,
  input  logic signed [13:0]      rd_x0_i,
  input  logic [YP-1:0]           rd_cols_i,
  output logic [YP-1:0][CP*8-1:0] rd_words_o
);
  // ---- stage 1: per-column bank, word and padding; per-bank read requests --------------
  logic [YP-1:0]                  pad_d, pad_q;
  logic [YP-1:0][BankBits-1:0]    bank_d, bank_q;
  logic [YP-1:0][ActAddrWidth-1:0] addr_d;
  logic [Banks-1:0]               rd_en_d;
  logic [Banks-1:0][ActAddrWidth-1:0] rd_addr_d;

  always_comb begin
    int signed yl, row_word;
    yl = int'(rd_y_i) - int'(desc_i.iy0);
    row_word = int'(desc_i.act_base) + (int'(rd_group_i) * int'(desc_i.ih) + yl) * int'(desc_i.act_wb);
    rd_en_d   = '0;
    rd_addr_d = '0;
    for (int unsigned i = 0; i < YP; i++) begin
      int signed xi, xl;
      xi = int'(rd_x0_i) + int'(i) * int'(desc_i.sx);
      xl = xi - int'(desc_i.ix0);
      pad_d[i]  = rd_y_i < 0 || int'(rd_y_i) >= int'(desc_i.in_h) || xi < 0 || xi >= int'(desc_i.in_w);
      bank_d[i] = BankBits'(xl);
      addr_d[i] = ActAddrWidth'(row_word + (xl >>> BankBits));
    end
    for (int unsigned i = 0; i < YP; i++) begin
      if (rd_valid_i && rd_cols_i[i] && !pad_d[i]) begin
        rd_en_d[bank_d[i]]   = 1'b1;
        rd_addr_d[bank_d[i]] = addr_d[i];
      end
    end
  end

  logic [Banks-1:0]                   rd_en_q;
  logic [Banks-1:0][ActAddrWidth-1:0] rd_addr_q;
  always_ff @(posedge clk_i) begin
    pad_q     <= pad_d | ~rd_cols_i;  // absent columns read as padding: their result is dropped
    bank_q    <= bank_d;
    rd_en_q   <= rd_en_d;
    rd_addr_q <= rd_addr_d;
  end

  // ---- stage 2: the banks (registered read) -------------------------------------------
  logic [Banks-1:0][CP*8-1:0] bank_data;
  for (genvar b = 0; b < Banks; b++) begin : gen_bank
    tessel_sdp_ram #(.Width(CP * 8), .Depth(BankWords)) u_ram (
      .clk_i,
      .wr_en_i   (wr_valid_i && wr_bank_i == BankBits'(b)),
      .wr_addr_i (wr_addr_i),
      .wr_data_i (wr_data_i),
      .rd_en_i   (rd_en_q[b]),
      .rd_addr_i (rd_addr_q[b]),
      .rd_data_o (bank_data[b])
    );
  end

  logic [YP-1:0]               pad_q2;
  logic [YP-1:0][BankBits-1:0] bank_q2;
  logic [7:0]                  pad_value_q2;
  always_ff @(posedge clk_i) begin
    pad_q2       <= pad_q;
    bank_q2      <= bank_q;
    pad_value_q2 <= desc_i.pad_value;
  end

  // ---- stage 3: route bank words to columns, padding inserted -------------------------
  always_ff @(posedge clk_i) begin
    for (int unsigned i = 0; i < YP; i++) begin
      rd_words_o[i] <= pad_q2[i] ? {CP{pad_value_q2}} : bank_data[bank_q2[i]];
    end
  end

  // Two columns of one step must never need the same bank (the compiler picks `cols`).
  for (genvar i = 0; i < YP; i++) begin : gen_conflict_check
    for (genvar j = i + 1; j < YP; j++) begin : gen_pair
      `TESSEL_ASSERT(act_no_bank_conflict, !(rd_valid_i && rd_cols_i[i] && rd_cols_i[j] &&
          !pad_d[i] && !pad_d[j] && bank_d[i] == bank_d[j]))
    end
  end
  `TESSEL_ASSERT(act_row_in_tile, rd_valid_i && |(rd_cols_i & ~pad_d) |->
      int'(rd_y_i) >= int'(desc_i.iy0) && int'(rd_y_i) < int'(desc_i.iy0) + int'(desc_i.ih))
endmodule
