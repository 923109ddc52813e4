// Turns the read stream of one weight master into weight-buffer words: KP beats make a word,
// written at base, base + 1, ... Several of these share the buffer's write port, so a word
// waits in wr_* until granted; the word after it is taken only once that one is written
// (a word needs KP beats, so with fewer than KP masters the stream never waits in practice).
`include "tessel_assert.svh"

module tessel_ctrl_wt_loader
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
#(
  /// Bytes per bus beat.
  parameter int unsigned CP = ArrayCP,
  /// Beats per weight word (output channels per word).
  parameter int unsigned KP = ArrayKP,
  localparam int unsigned BeatBits = CP * 8
) (
  input  logic                       clk_i,
  input  logic                       rst_i,
  input  logic                       start_i,   // a command was issued: its words go from base_i
  input  logic [WeightAddrWidth-1:0] base_i,
  output logic                       busy_o,    // started, and not every word written yet
  input  logic                       rd_valid_i,
  output logic                       rd_ready_o,
  input  logic [BeatBits-1:0]        rd_data_i,
  input  logic                       rd_last_i,
  output logic                       wr_valid_o,
  input  logic                       wr_ready_i,
  output logic [WeightAddrWidth-1:0] wr_addr_o,
  output logic [KP*BeatBits-1:0]     wr_data_o
);
  logic [7:0] beat_q, beat_d;               // beats gathered into the current word
  logic [(KP-1)*BeatBits-1:0] wide_q, wide_d;  // the word's beats before its last
  logic [WeightAddrWidth-1:0] word_q, word_d;  // where the current word goes
  logic active_q, active_d, last_q, last_d;  // a command is loading; its last beat was taken
  logic wr_valid_d;

  wire word_end = beat_q == 8'(KP - 1);
  assign rd_ready_o = active_q && !(word_end && wr_valid_o);
  wire take = rd_valid_i && rd_ready_o;
  assign busy_o = active_q;

  always_comb begin
    wr_valid_d = (wr_valid_o && !wr_ready_i) || (take && word_end);
    last_d     = last_q || (take && rd_last_i);
    active_d   = active_q;
    if (start_i) begin
      active_d = 1'b1;
      last_d   = 1'b0;
    end else if (last_q && !wr_valid_o) begin
      active_d = 1'b0;
      last_d   = 1'b0;
    end
  end

  always_comb begin
    beat_d = beat_q;
    word_d = word_q;
    wide_d = wide_q;
    if (start_i) begin
      beat_d = '0;
      word_d = base_i;
    end else if (take) begin
      wide_d = $bits(wide_q)'({rd_data_i, wide_q} >> BeatBits);
      beat_d = word_end ? '0 : beat_q + 8'd1;
      word_d = word_end ? word_q + 1'b1 : word_q;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      active_q   <= 1'b0;
      last_q     <= 1'b0;
      wr_valid_o <= 1'b0;
    end else begin
      active_q   <= active_d;
      last_q     <= last_d;
      wr_valid_o <= wr_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    beat_q <= beat_d;
    word_q <= word_d;
    wide_q <= wide_d;
    if (!start_i && take && word_end) begin  // a whole word
      wr_data_o <= {rd_data_i, wide_q};
      wr_addr_o <= word_q;
    end
  end

  `TESSEL_ASSERT(wt_loader_start_idle, start_i |-> !active_q)
  `TESSEL_ASSERT(wt_loader_whole_words, take && rd_last_i |-> word_end)
endmodule
