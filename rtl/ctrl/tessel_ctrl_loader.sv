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
  localparam int unsigned ParamBits = KP * $bits(param_chan_t)
) (
  input  logic clk_i,
  input  logic rst_i,
  // Set-up, sampled on start_i.
  input  logic                       start_i,
  input  logic [2:0]                 mode_i,       // LoadCapture .. LoadParams
  input  logic [11:0]                width_i,      // activation / residual: columns per row
  input  logic [11:0]                row_words_i,  // act_wb / out_wb
  input  logic [15:0]                base_i,       // first buffer word
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
  // Modes (LoadCapture = 0 is everything else: beats only shift into capture_o).
  localparam logic [2:0] LoadAct = 3'd1, LoadResidual = 3'd2, LoadWeights = 3'd3,
                         LoadParams = 3'd4;

  if (KP != CP) begin : gen_bad_kp
    $error("%m: one beat must be one word: KP (%0d) must equal CP (%0d)", KP, CP);
  end
  if (ParamWordBytes * 8 < ParamBits + 32) begin : gen_short_param
    $error("%m: a parameter word (%0d bytes) has no room for the weights' check", ParamWordBytes);
  end
  if (ParamWordBytes % CP != 0) begin : gen_bad_param
    $error("%m: a parameter word (%0d bytes) must be whole beats of %0d", ParamWordBytes, CP);
  end

  logic [2:0]  mode_q;
  logic [11:0] width_q, row_words_q, x_q;
  logic [15:0] row_base_q, word_q;
  logic [7:0]  beat_q;   // beats gathered into the current wide word
  logic [(KP-1)*BeatBits-1:0] wide_q;          // beats of a weight word before its last
  logic [(ParamBeats-1)*BeatBits-1:0] param_q;  // beats of a parameter word before its last
  logic [CaptureBits-1:0] capture_q;

  wire take = rd_valid_i && rd_ready_o;
  assign rd_ready_o = 1'b1;
  assign capture_o  = capture_q;

  if (CaptureBits % BeatBits != 0) begin : gen_bad_capture
    $error("%m: CaptureBits (%0d) must be whole beats of %0d bits", CaptureBits, BeatBits);
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      done_o <= 1'b0;
      act_wr_valid_o <= 1'b0; wt_wr_valid_o <= 1'b0; param_wr_valid_o <= 1'b0;
      res_wr_valid_o <= 1'b0;
    end else begin
      done_o           <= take && rd_last_i;
      act_wr_valid_o   <= take && mode_q == LoadAct;
      res_wr_valid_o   <= take && mode_q == LoadResidual;
      wt_wr_valid_o    <= take && mode_q == LoadWeights && beat_q == 8'(KP - 1);
      param_wr_valid_o <= take && mode_q == LoadParams && beat_q == 8'(ParamBeats - 1);
    end
  end

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      mode_q      <= mode_i;
      width_q     <= width_i;
      row_words_q <= row_words_i;
      row_base_q  <= base_i;
      word_q      <= base_i;
      x_q         <= '0;
      beat_q      <= '0;
    end else if (take) begin
      // Activation and residual words: walk the band's columns, then rows.
      act_wr_bank_o <= ActBankBits'(x_q);
      act_wr_addr_o <= ActAddrWidth'(row_base_q + (16'(x_q) >> ActBankBits));
      act_wr_data_o <= rd_data_i;
      res_wr_bank_o <= OutBankBits'(PP > 1 ? x_q : 12'd0);
      res_wr_addr_o <= OutAddrWidth'(row_base_q + (16'(x_q) >> (PP > 1 ? OutBankBits : 0)));
      res_wr_data_o <= rd_data_i;
      if (x_q == width_q - 12'd1) begin
        x_q        <= '0;
        row_base_q <= row_base_q + 16'(row_words_q);
      end else begin
        x_q <= x_q + 12'd1;
      end
      // Weight and parameter words: gather beats, lowest byte first.
      wide_q  <= $bits(wide_q)'({rd_data_i, wide_q} >> BeatBits);
      param_q <= $bits(param_q)'({rd_data_i, param_q} >> BeatBits);
      wt_wr_data_o    <= {rd_data_i, wide_q};
      param_wr_data_o <= ParamBits'({rd_data_i, param_q});
      param_wr_check_o <= 32'({rd_data_i, param_q} >> ParamBits);
      wt_wr_addr_o    <= WeightAddrWidth'(word_q);
      param_wr_addr_o <= ParamAddrWidth'(word_q);
      if ((mode_q == LoadWeights && beat_q == 8'(KP - 1)) ||
          (mode_q == LoadParams && beat_q == 8'(ParamBeats - 1))) begin
        beat_q <= '0;
        word_q <= word_q + 16'd1;
      end else begin
        beat_q <= beat_q + 8'd1;
      end
      capture_q <= {rd_data_i, capture_q[CaptureBits-1:BeatBits]};  // the first beat ends lowest
    end
  end

  `TESSEL_ASSERT(loader_mode_known, start_i |-> mode_i <= LoadParams)
endmodule
