// Turns one DMA read stream into writes to one of the compute core's buffers, or captures it
// (a program header or layer record). One bus beat is one activation word (CP bytes), so
//   activations: beat (g, y, x) of a band -> bank x mod B, word base + row * act_wb + x / B
//   residual:    beat (g, y, x)           -> bank x mod PP,  word base + row * out_wb + x / PP
//   weights:     KP beats make one weight word; parameters: ParamBeats beats one parameter word
//                (KP channel records, then the weights' check sum of the group: param_wr_check_o)
// where `row` counts the band's rows across groups (g * rows + y) and B = act_banks(YP).
// Writes never stall.
`include "tessel_assert.svh"

module tessel_ctrl_loader
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
  import tessel_ctrl_pkg::*;
#(
  /// Bytes per activation word (and per bus beat).
  parameter int unsigned CP = ArrayCP,
  /// Output channels per weight word.
  parameter int unsigned KP = ArrayKP,
  /// Output pixels per step.
  parameter int unsigned YP = ArrayYP,
  /// Pixels per PPU cycle (output and residual banks).
  parameter int unsigned PP = PpuPixels,
  /// Bits captured from a program header or record (a whole number of beats).
  parameter int unsigned CaptureBits = RecordBytes * 8,
  localparam int unsigned BeatBits = CP * 8,
  localparam int unsigned ActBankBits = $clog2(act_banks(YP)),
  localparam int unsigned OutBankBits = (PP > 1) ? $clog2(PP) : 1,
  localparam int unsigned ParamBeats = ParamWordBytes / CP,
  localparam int unsigned ParamBits = KP * $bits(param_chan_t),
  localparam int unsigned WordBits = 16  // buffer word indices
) (
  input  logic clk_i,
  input  logic rst_i,
  // Set-up, sampled on start_i.
  input  logic                       start_i,
  input  load_mode_e                 mode_i,
  input  coord_t                     width_i,      // activation / residual: columns per row
  input  coord_t                     row_words_i,  // act_wb / out_wb
  input  logic [WordBits-1:0]        base_i,       // first buffer word
  // The DMA read stream.
  input  logic                       rd_valid_i,
  output logic                       rd_ready_o,
  input  logic [BeatBits-1:0]        rd_data_i,
  input  logic                       rd_last_i,
  output logic                       done_o,       // the stream's last beat was taken
  // Buffer writes.
  output logic                       act_wr_valid_o,
  output logic [ActBankBits-1:0]     act_wr_bank_o,
  output logic [ActAddrWidth-1:0]    act_wr_addr_o,
  output logic [CP*8-1:0]            act_wr_data_o,
  output logic                       wt_wr_valid_o,
  output logic [WeightAddrWidth-1:0] wt_wr_addr_o,
  output logic [KP*CP*8-1:0]         wt_wr_data_o,
  output logic                       param_wr_valid_o,
  output logic [ParamAddrWidth-1:0]  param_wr_addr_o,
  output param_chan_t [KP-1:0]       param_wr_data_o,
  output logic [31:0]                param_wr_check_o,
  output logic                       res_wr_valid_o,
  output logic [OutBankBits-1:0]     res_wr_bank_o,
  output logic [OutAddrWidth-1:0]    res_wr_addr_o,
  output logic [KP*8-1:0]            res_wr_data_o,
  output logic [CaptureBits-1:0]     capture_o     // captured beats, first beat least significant
);
  if (KP != CP) begin : gen_bad_kp
    $error("%m: one beat must be one word: KP (%0d) must equal CP (%0d)", KP, CP);
  end
  if (ParamWordBytes * 8 < ParamBits + 32) begin : gen_short_param
    $error("%m: a parameter word (%0d bytes) has no room for the weights' check", ParamWordBytes);
  end
  if (ParamWordBytes % CP != 0) begin : gen_bad_param
    $error("%m: a parameter word (%0d bytes) must be whole beats of %0d", ParamWordBytes, CP);
  end

  // The stream's set-up, and where its next beat goes (LoadCapture: beats only shift into
  // capture_o).
  typedef struct packed {
    load_mode_e          mode;
    coord_t              width, row_words, x;  // x: the column of an activation / residual beat
    logic [WordBits-1:0] row_base, word;       // word: the weight / parameter word being gathered
    logic [7:0]          beat;                 // beats gathered into that word
  } walk_t;
  walk_t q, d;
  logic [(KP-1)*BeatBits-1:0] wide_q;          // beats of a weight word before its last
  logic [(ParamBeats-1)*BeatBits-1:0] param_q;  // beats of a parameter word before its last
  logic [CaptureBits-1:0] capture_q;

  wire take = rd_valid_i && rd_ready_o;
  wire word_end = (q.mode == LoadWeights && q.beat == 8'(KP - 1)) ||
                  (q.mode == LoadParams && q.beat == 8'(ParamBeats - 1));
  assign rd_ready_o = 1'b1;
  assign capture_o  = capture_q;

  if (CaptureBits % BeatBits != 0) begin : gen_bad_capture
    $error("%m: CaptureBits (%0d) must be whole beats of %0d bits", CaptureBits, BeatBits);
  end

  always_comb begin
    d = q;
    if (start_i) begin
      d = '{mode: mode_i, width: width_i, row_words: row_words_i, row_base: base_i, word: base_i,
            default: '0};
    end else if (take) begin
      // Activation and residual words: walk the band's columns, then rows.
      d.x        = (q.x == q.width - 1'b1) ? '0 : q.x + 1'b1;
      d.row_base = (q.x == q.width - 1'b1) ? q.row_base + WordBits'(q.row_words) : q.row_base;
      // Weight and parameter words: gather beats, lowest byte first.
      d.beat = word_end ? '0 : q.beat + 8'd1;
      d.word = word_end ? q.word + 1'b1 : q.word;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      done_o <= 1'b0;
      act_wr_valid_o <= 1'b0; wt_wr_valid_o <= 1'b0; param_wr_valid_o <= 1'b0;
      res_wr_valid_o <= 1'b0;
    end else begin
      done_o           <= take && rd_last_i;
      act_wr_valid_o   <= take && q.mode == LoadAct;
      res_wr_valid_o   <= take && q.mode == LoadResidual;
      wt_wr_valid_o    <= take && q.mode == LoadWeights && q.beat == 8'(KP - 1);
      param_wr_valid_o <= take && q.mode == LoadParams && q.beat == 8'(ParamBeats - 1);
    end
  end

  always_ff @(posedge clk_i) q <= d;

  // The beat just taken: shifted into the wide words and the capture, and written where the
  // walk above puts it.
  always_ff @(posedge clk_i) begin
    if (!start_i && take) begin
      wide_q           <= $bits(wide_q)'({rd_data_i, wide_q} >> BeatBits);
      param_q          <= $bits(param_q)'({rd_data_i, param_q} >> BeatBits);
      capture_q        <= {rd_data_i, capture_q[CaptureBits-1:BeatBits]};  // the first beat ends lowest
      act_wr_bank_o    <= ActBankBits'(q.x);
      act_wr_addr_o    <= ActAddrWidth'(q.row_base + (WordBits'(q.x) >> ActBankBits));
      act_wr_data_o    <= rd_data_i;
      res_wr_bank_o    <= OutBankBits'(PP > 1 ? q.x : '0);
      res_wr_addr_o    <= OutAddrWidth'(q.row_base + (WordBits'(q.x) >> (PP > 1 ? OutBankBits : 0)));
      res_wr_data_o    <= rd_data_i;
      wt_wr_data_o     <= {rd_data_i, wide_q};
      param_wr_data_o  <= ParamBits'({rd_data_i, param_q});
      param_wr_check_o <= 32'({rd_data_i, param_q} >> ParamBits);
      wt_wr_addr_o     <= WeightAddrWidth'(q.word);
      param_wr_addr_o  <= ParamAddrWidth'(q.word);
    end
  end

  `TESSEL_ASSERT(loader_mode_known, start_i |-> mode_i <= LoadParams)
endmodule
