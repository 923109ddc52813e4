// Tiling controller: runs a whole program without the host. After start it fetches the
// program header (and refuses a program built for other parameters), then for each layer
// fetches and checks its record, loads its parameters and walks its tiles exactly as
// scripts/tessel/plan/tiling.py plans them: bands of output rows x blocks of output
// groups, in the record's order, data placed in the buffer half the previous tile did not
// use and not loaded again when a half already holds it. Per tile: load input band, weights,
// residual; run the core; drain the output. With weight masters (WeightPorts > 0) a tile's
// weights are split over them in equal runs of words and load beside the input band and
// residual. Addresses in the program are offsets from the DMA window base. Any error stops the
// run with a code until a soft reset.
// Nothing read is used unchecked (scripts/tessel/backend/integrity.py): the layer records are
// read once and compared with the header's CRC-32 before the first layer, a layer's parameter
// words with its record's CRC-32 before its first tile, and a tile's weights with their check
// sum before the core takes the tile, so a corrupted image stops the run before anything
// computed from it is written.
// This module is the state machine and the DMA commands; the tile walk, the buffer halves, the
// weight-master split, the loaders, the drain and the core's descriptor are blocks of their own
// (docs/hardware.md, "Tiling controller").
`include "tessel_assert.svh"

module tessel_ctrl
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
  import tessel_dma_pkg::*;
  import tessel_ctrl_pkg::*;
  import tessel_crc_pkg::*;
#(
  parameter int unsigned KP = ArrayKP,
  parameter int unsigned YP = ArrayYP,
  parameter int unsigned CP = ArrayCP,
  parameter int unsigned PP = PpuPixels,
  /// Read masters of their own for weights (0: weights load on the main master).
  parameter int unsigned WeightPorts = AxiWeightPorts,
  localparam int unsigned WP = (WeightPorts > 0) ? WeightPorts : 1,
  localparam int unsigned BeatBits = CP * 8,
  localparam int unsigned CaptureBytes = (HeaderBytes > RecordBytes) ? HeaderBytes : RecordBytes
) (
  input  logic clk_i,
  input  logic rst_i,
  input  logic clear_i,                        // soft reset
  // From / to the registers.
  input  logic                 start_i,
  input  logic [AddrWidth-1:0] program_base_i, // address of the program (normally the window base)
  input  logic [AddrWidth-1:0] win_base_i,
  output logic                 busy_o,
  output logic                 done_o,         // one-cycle pulse: the program finished
  output logic                 err_valid_o,
  output ctrl_err_e            err_code_o,
  output logic [AddrWidth-1:0] err_addr_o,     // address of the header or record at fault
  output logic                 layer_done_o,   // one-cycle pulse per finished layer
  output logic [LayerCountWidth-1:0] layer_index_o,
  output logic [31:0]          layer_cycles_o,
  output logic                 core_idle_o,    // busy but the core waits for data (stall)
  // DMA: the main engines' ports and the weight masters' (tied off when WeightPorts = 0).
  output dma_rd_req_t          rd_req_o,
  input  dma_rd_resp_t         rd_resp_i,
  output dma_wr_req_t          wr_req_o,
  input  dma_wr_resp_t         wr_resp_i,
  input  logic                 dma_err_i,
  output dma_rd_req_t [WP-1:0] wm_req_o,
  input  dma_rd_resp_t [WP-1:0] wm_resp_i,
  // The compute core.
  output logic                 core_start_o,
  output tile_desc_t           core_desc_o,
  input  logic                 core_done_i,
  output logic                 act_wr_valid_o,
  output logic [$clog2(act_banks(YP))-1:0] act_wr_bank_o,
  output logic [ActAddrWidth-1:0] act_wr_addr_o,
  output logic [CP*8-1:0]      act_wr_data_o,
  output logic                 wt_wr_valid_o,
  output logic [WeightAddrWidth-1:0] wt_wr_addr_o,
  output logic [KP*CP*8-1:0]   wt_wr_data_o,
  output logic                 param_wr_valid_o,
  output logic [ParamAddrWidth-1:0] param_wr_addr_o,
  output param_chan_t [KP-1:0] param_wr_data_o,
  output logic                 res_wr_valid_o,
  output logic [(PP > 1 ? $clog2(PP) : 1)-1:0] res_wr_bank_o,
  output logic [OutAddrWidth-1:0] res_wr_addr_o,
  output logic [KP*8-1:0]      res_wr_data_o,
  output logic                 out_rd_en_o,
  output logic [(PP > 1 ? $clog2(PP) : 1)-1:0] out_rd_bank_o,
  output logic [OutAddrWidth-1:0] out_rd_addr_o,
  input  logic [KP*8-1:0]      out_rd_data_i
);
  if (BeatBits != $bits(axi_data_t)) begin : gen_bad_beat
    $error("%m: a bus beat must be one activation word: CP * 8 = %0d, the bus has %0d bits",
           BeatBits, $bits(axi_data_t));
  end
  localparam int unsigned ActHalf = BuffersActBankWords / 2;
  localparam int unsigned WtHalf = BuffersWeightWords / 2;
  localparam int unsigned OutHalf = BuffersOutBankWords / 2;

  typedef enum logic [3:0] {
    Idle, FetchHeader, CheckHeader, CheckProgram, FetchRecord, CheckRecord, LoadParamWords,
    TileSetup, LoadInput, LoadWeightWords, LoadResidualWords, Handoff, NextTile, LayerEnd, Failed
  } state_e;

  state_e state_q, state_d;
  logic [LayerCountWidth-1:0] layers_q, layers_d;  // layer records in the program
  logic [31:0]     program_crc_q, program_crc_d;   // the header's CRC-32 of the records
  layer_desc_t     r_q, r_d;                       // the current layer's record
  logic [LayerCountWidth-1:0] layer_q, layer_d;
  logic [31:0]     layer_cycles_q, layer_cycles_d;
  logic            issued_q, issued_d;             // this state's DMA read was accepted
  logic            done_d, layer_done_d, err_valid_d;
  ctrl_err_e       err_code_d;
  logic [AddrWidth-1:0] err_addr_d;
  logic [LayerCountWidth-1:0] layer_index_d;
  logic [31:0]     layer_cycles_out_d;
  logic            loader_start, loader_done;
  load_mode_e      loader_mode;
  coord_t          loader_width, loader_row_words;
  logic [15:0]     loader_base;  // a buffer word (the loader counts words in 16 bits)
  logic [CaptureBytes*8-1:0] capture;

  // ---- three stages, one tile each ----------------------------------------------------------
  // The state machine plans and loads tile i+1 while the core computes tile i and the drain
  // writes tile i-1. A tile is handed to the core only when the previous one has moved on to
  // the drain, and that only when the drain before it has finished, so
  //   - loads of tile i+1 go to halves tile i does not read (the halves of tile i-1, whose
  //     compute is over),
  //   - the core writes the output half of tile i-1's predecessor only after its drain.
  // A layer's last tile is drained before the next record is fetched: the next layer reads
  // what this one wrote.
  ctrl_tile_t  ld_q, ld_d;                     // the tile being loaded
  logic        load_in_q, load_in_d, load_wt_q, load_wt_d;
  ctrl_tile_t  cmp_q, cmp_d;                   // the tile in the core
  logic        cmp_valid_q, cmp_valid_d, cmp_done_q, cmp_done_d, cmp_start_q, cmp_start_d;
  ctrl_tile_t  dr_q, dr_d;                     // the tile being drained
  logic        dr_valid_q, dr_valid_d, dr_issued_q, dr_issued_d;
  logic        wm_kick_q, wm_kick_d, wm_busy;
  logic        layer_start, tile_plan, tile_next, handoff;  // strobes of the state machine

  wire is_conv = r_q.op == OpConv;
  wire [AddrWidth-1:0] record_offset = AddrWidth'(HeaderBytes) + AddrWidth'(32'(layer_q) * RecordBytes);
  wire failed = state_q == Failed;

  // The walk's current tile, and the halves its data goes to.
  ctrl_tile_t walk;
  logic       last_tile, load_in, load_wt;
  tessel_ctrl_tile_walk u_walk (
    .clk_i, .rst_i (rst_i || clear_i), .start_i (layer_start), .next_i (tile_next),
    .record_i (r_q), .tile_o (walk), .last_o (last_tile)
  );

  logic in_half, wt_half;
  tessel_ctrl_halves u_halves (
    .clk_i, .rst_i (rst_i || clear_i),
    .start_i (layer_start), .plan_i (tile_plan), .conv_i (is_conv),
    .kg0_i (walk.kg0), .iy0_i (walk.iy0), .in_rows_i (walk.in_rows),
    .in_half_o (in_half), .load_in_o (load_in), .wt_half_o (wt_half), .load_wt_o (load_wt)
  );

  // ---- DMA commands -------------------------------------------------------------------------
  // Data addresses in the program are offsets from the window base; the program itself is
  // fetched from its own address.
  wire [31:0] in_plane  = 32'(r_q.in_h) * 32'(r_q.in_w) * CP;   // bytes of one input group
  wire [31:0] out_plane = 32'(r_q.oh) * 32'(r_q.ow) * KP;       // bytes of one output group
  wire [31:0] wt_group  = 32'(r_q.kh) * 32'(r_q.kw) * 32'(r_q.groups) * KP * CP;
  // A one-plane command: `rows` rows of `row_bytes` bytes, `stride` bytes apart.
  function automatic dma_cmd_t cmd(logic [AddrWidth-1:0] addr, logic [31:0] row_bytes,
                                   logic [31:0] rows, logic [31:0] stride);
    dma_cmd_t c;
    c.addr         = addr;
    c.row_bytes    = $bits(c.row_bytes)'(row_bytes);
    c.rows         = $bits(c.rows)'(rows);
    c.row_stride   = stride;
    c.planes       = $bits(c.planes)'(1);
    c.plane_stride = '0;
    return c;
  endfunction
  // Where a tile's output rows start in the output (or residual) tensor.
  function automatic logic [AddrWidth-1:0] out_offset(ctrl_tile_t t);
    return AddrWidth'(32'(t.kg0) * out_plane + 32'(t.oy0) * 32'(r_q.ow) * KP);
  endfunction
  // Where a tile's weights start in the layer's.
  function automatic logic [AddrWidth-1:0] wt_offset(ctrl_tile_t t);
    return AddrWidth'(32'(t.kg0) * wt_group);
  endfunction

  always_comb begin
    rd_req_o.cmd = '0;
    unique case (state_q)
      FetchHeader: rd_req_o.cmd = cmd(program_base_i, CaptureBytes, 1, '0);
      CheckProgram: rd_req_o.cmd = cmd(program_base_i + AddrWidth'(HeaderBytes),
                                       32'(layers_q) * RecordBytes, 1, '0);
      FetchRecord: rd_req_o.cmd = cmd(program_base_i + record_offset, CaptureBytes, 1, '0);
      LoadParamWords: rd_req_o.cmd = cmd(win_base_i + r_q.param_addr,
                                         32'(r_q.kgroups) * ParamWordBytes, 1, '0);
      LoadInput: rd_req_o.cmd = cmd(win_base_i + r_q.in_addr
                                    + AddrWidth'((is_conv ? '0 : 32'(ld_q.kg0) * in_plane)
                                                 + 32'(ld_q.iy0) * 32'(r_q.in_w) * CP),
                                    32'(ld_q.in_rows) * 32'(r_q.in_w) * CP,
                                    is_conv ? 32'(r_q.groups) : 32'(ld_q.nk), in_plane);
      LoadWeightWords: rd_req_o.cmd = cmd(win_base_i + r_q.wt_addr + wt_offset(ld_q),
                                          32'(ld_q.nk) * wt_group, 1, '0);
      LoadResidualWords: rd_req_o.cmd = cmd(win_base_i + r_q.res_addr + out_offset(ld_q),
                                            32'(ld_q.rows) * 32'(r_q.ow) * KP, 32'(ld_q.nk),
                                            out_plane);
      default: ;
    endcase
    wr_req_o.cmd = cmd(win_base_i + r_q.out_addr + out_offset(dr_q),
                       32'(dr_q.rows) * 32'(r_q.ow) * KP, 32'(dr_q.nk), out_plane);
  end

  // A read is issued only by a state that needs one: loads a tile can skip issue nothing.
  wire reading = state_q inside {FetchHeader, CheckProgram, FetchRecord, LoadParamWords}
                 || (state_q == LoadInput && load_in_q)
                 || (state_q == LoadWeightWords && load_wt_q && WeightPorts == 0)
                 || (state_q == LoadResidualWords && r_q.res_en);
  assign rd_req_o.cmd_valid = reading && !issued_q;
  assign wr_req_o.cmd_valid = dr_valid_q && !dr_issued_q && !failed;
  wire rd_issue = rd_req_o.cmd_valid && rd_resp_i.cmd_ready;
  wire wr_issue = wr_req_o.cmd_valid && wr_resp_i.cmd_ready;

  // The loader is set up in the cycle its command is issued.
  always_comb begin
    loader_start     = rd_issue;
    loader_mode      = LoadCapture;
    loader_width     = r_q.in_w;
    loader_row_words = r_q.act_wb;
    loader_base      = '0;
    unique case (state_q)
      LoadParamWords: loader_mode = LoadParams;
      LoadInput: begin
        loader_mode = LoadAct;
        loader_base = $bits(loader_base)'(ld_q.in_half ? ActHalf : 0);
      end
      LoadWeightWords: begin
        loader_mode = LoadWeights;
        loader_base = $bits(loader_base)'(ld_q.wt_half ? WtHalf : 0);
      end
      LoadResidualWords: begin
        loader_mode      = LoadResidual;
        loader_width     = r_q.ow;
        loader_row_words = r_q.out_wb;
        loader_base      = $bits(loader_base)'(ld_q.out_half ? OutHalf : 0);
      end
      default: ;
    endcase
  end

  logic [31:0]                param_check;
  logic                       ld_wt_valid;
  logic [WeightAddrWidth-1:0] ld_wt_addr;
  logic [KP*CP*8-1:0]         ld_wt_data;

  tessel_ctrl_loader #(.CP(CP), .KP(KP), .YP(YP), .PP(PP), .CaptureBits(CaptureBytes * 8)) u_loader (
    .clk_i, .rst_i (rst_i || clear_i),
    .start_i (loader_start), .mode_i (loader_mode), .width_i (loader_width),
    .row_words_i (loader_row_words), .base_i (loader_base),
    .rd_valid_i (rd_resp_i.valid), .rd_ready_o (rd_req_o.ready),
    .rd_data_i (rd_resp_i.data), .rd_last_i (rd_resp_i.last), .done_o (loader_done),
    .act_wr_valid_o, .act_wr_bank_o, .act_wr_addr_o, .act_wr_data_o,
    .wt_wr_valid_o (ld_wt_valid), .wt_wr_addr_o (ld_wt_addr), .wt_wr_data_o (ld_wt_data),
    .param_wr_valid_o, .param_wr_addr_o, .param_wr_data_o, .param_wr_check_o (param_check),
    .res_wr_valid_o, .res_wr_bank_o, .res_wr_addr_o, .res_wr_data_o,
    .capture_o (capture)
  );

  tessel_ctrl_drain #(.KP(KP), .PP(PP)) u_drain (
    .clk_i, .rst_i (rst_i || clear_i),
    .start_i     (wr_issue),
    .groups_i    (dr_q.nk),
    .rows_i      (dr_q.rows),
    .width_i     (r_q.ow),
    .row_words_i (OutAddrWidth'(r_q.out_wb)),
    .base_i      (OutAddrWidth'(dr_q.out_half ? OutHalf : 0)),
    .busy_o      (),
    .rd_en_o     (out_rd_en_o),
    .rd_bank_o   (out_rd_bank_o),
    .rd_addr_o   (out_rd_addr_o),
    .rd_data_i   (out_rd_data_i),
    .wr_valid_o  (wr_req_o.valid),
    .wr_ready_i  (wr_resp_i.ready),
    .wr_data_o   (wr_req_o.data),
    .wr_last_o   (wr_req_o.last)
  );
  logic unused_rd_bytes;  // the loader counts whole beats: every stream it takes is
  assign unused_rd_bytes = ^rd_resp_i.bytes;

  // ---- integrity checks ----------------------------------------------------------------------
  // The records and each layer's parameter words pass one CRC-32 on the main read stream.
  wire main_take = rd_resp_i.valid && rd_req_o.ready;
  logic [31:0] stream_crc;
  tessel_crc32 #(.DataBits(BeatBits)) u_stream_crc (
    .clk_i, .clear_i (rd_issue), .valid_i (main_take && state_q inside {CheckProgram, LoadParamWords}),
    .data_i (rd_resp_i.data), .crc_o (stream_crc)
  );

  // A tile expects the weights' check sum of its groups [kg0, kg0 + nk): the difference of two
  // prefix sums from the parameter words, read while the tile loads (a tile spends at least
  // three cycles in the load states, so both are there at the hand-off).
  logic [31:0] check_last, check_before, wt_sum;
  tessel_sdp_ram #(.Width(32), .Depth(BuffersParamWords)) u_check_last (
    .clk_i, .wr_en_i (param_wr_valid_o), .wr_addr_i (param_wr_addr_o), .wr_data_i (param_check),
    .rd_en_i (1'b1), .rd_addr_i (ParamAddrWidth'(ld_q.kg0 + ld_q.nk - group_t'(1))),
    .rd_data_o (check_last)
  );
  tessel_sdp_ram #(.Width(32), .Depth(BuffersParamWords)) u_check_before (
    .clk_i, .wr_en_i (param_wr_valid_o), .wr_addr_i (param_wr_addr_o), .wr_data_i (param_check),
    .rd_en_i (1'b1), .rd_addr_i (ParamAddrWidth'(ld_q.kg0 - group_t'(1))), .rd_data_o (check_before)
  );
  wire [31:0] wt_expected = check_last - (ld_q.kg0 == '0 ? 32'd0 : check_before);
  wire [31:0] wt_first_beat = 32'(ld_q.kg0) * (wt_group / CP);  // the tile's first weight beat
  wire weights_bad = load_wt_q && wt_sum != wt_expected;

  // ---- weight masters ------------------------------------------------------------------------
  // The cycle after TileSetup (ld_q and load_wt_q are set) the masters get their runs of the
  // tile's weight words; Handoff waits until every master's loader has written its last word.
  if (WeightPorts > 0) begin : gen_wm
    logic loading;
    logic split_busy;
    tessel_ctrl_wt_split #(.WeightPorts(WeightPorts), .KP(KP), .CP(CP)) u_split (
      .clk_i, .rst_i (rst_i || clear_i), .stop_i (failed),
      .kick_i (wm_kick_q && load_wt_q), .addr_i (win_base_i + r_q.wt_addr),
      .offset_i (32'(ld_q.kg0) * wt_group),
      .words_i (32'(ld_q.nk) * 32'(r_q.kh) * 32'(r_q.kw) * 32'(r_q.groups)),
      .first_beat_i (wt_first_beat), .base_i (WeightAddrWidth'(ld_q.wt_half ? WtHalf : 0)),
      .busy_o (split_busy), .loading_o (loading), .sum_o (wt_sum),
      .wm_req_o, .wm_resp_i, .wt_wr_valid_o, .wt_wr_addr_o, .wt_wr_data_o
    );
    assign wm_busy = wm_kick_q || split_busy;

    logic unused_wm;
    assign unused_wm = ^{ld_wt_valid, ld_wt_addr, ld_wt_data};
    `TESSEL_COVER(ctrl_weights_beside_input, state_q == LoadInput && loading)
  end else begin : gen_no_wm
    assign wm_req_o       = '0;
    assign wm_busy        = 1'b0;
    assign wt_wr_valid_o  = ld_wt_valid;
    assign wt_wr_addr_o   = ld_wt_addr;
    assign wt_wr_data_o   = ld_wt_data;
    tessel_beat_check #(.DataBits(BeatBits)) u_check (
      .clk_i, .start_i (rd_issue && state_q == LoadWeightWords), .index_i (wt_first_beat),
      .valid_i (main_take && state_q == LoadWeightWords), .data_i (rd_resp_i.data), .sum_o (wt_sum)
    );
    logic unused_wm;
    assign unused_wm = ^{wm_kick_q, wm_resp_i};
  end

  // ---- the tile descriptor for the core --------------------------------------------------------
  assign core_desc_o = tile_desc(r_q, cmp_q, KP, BuffersActBankWords / 2, BuffersWeightWords / 2,
                                BuffersOutBankWords / 2);
  assign core_start_o = cmp_start_q;

  // ---- the state machine ----------------------------------------------------------------------------
  logic unused_capture;  // capture beats past the header / record fields
  assign unused_capture = ^capture;
  program_header_t header_in;   // the captured beats as a header / a record
  layer_desc_t     record_in;
  assign header_in = capture[$bits(program_header_t)-1:0];
  assign record_in = capture[$bits(layer_desc_t)-1:0];

  always_comb begin
    logic fail;  // stop with err_code_d and err_addr_d until a soft reset
    fail        = 1'b0;
    state_d     = state_q;
    issued_d    = issued_q || rd_issue;
    done_d      = 1'b0;
    layer_done_d = 1'b0;
    cmp_start_d = 1'b0;
    wm_kick_d   = 1'b0;
    err_valid_d = err_valid_o;
    err_code_d  = err_code_o;
    err_addr_d  = err_addr_o;
    layer_index_d      = layer_index_o;
    layer_cycles_out_d = layer_cycles_o;
    layer_cycles_d = layer_cycles_q + 32'd1;
    layers_d      = layers_q;
    program_crc_d = program_crc_q;
    r_d           = r_q;
    layer_d       = layer_q;
    ld_d          = ld_q;
    load_in_d     = load_in_q;
    load_wt_d     = load_wt_q;
    layer_start   = 1'b0;
    tile_plan     = 1'b0;
    tile_next     = 1'b0;
    handoff       = 1'b0;

    if (dma_err_i && state_q != Idle) begin
      state_d = Failed;  // the DMA holds its own code and address
    end else begin
      unique case (state_q)
        Idle: if (start_i) begin
          state_d  = FetchHeader;
          issued_d = 1'b0;
        end
        FetchHeader: if (issued_q && loader_done) state_d = CheckHeader;
        CheckHeader: begin
          layers_d      = header_in.layers;
          program_crc_d = header_in.crc;
          if (header_in.magic != ProgramMagic) begin
            fail       = 1'b1;
            err_code_d = CtrlErrMagic;
            err_addr_d = program_base_i;
          end else if (!header_format_ok(header_in)) begin
            fail       = 1'b1;
            err_code_d = CtrlErrVersion;
            err_addr_d = program_base_i;
          end else if (!header_config_ok(header_in, KP, YP, CP, PP)) begin
            fail       = 1'b1;
            err_code_d = CtrlErrConfig;
            err_addr_d = program_base_i;
          end else begin
            state_d  = CheckProgram;
            issued_d = 1'b0;
          end
        end
        CheckProgram: if (issued_q && loader_done) begin  // every record, through the CRC
          if (stream_crc != program_crc_q) begin
            fail      = 1'b1;
            err_code_d = CtrlErrProgramCrc;
            err_addr_d = program_base_i;
          end else begin
            layer_d  = '0;
            state_d  = FetchRecord;
            issued_d = 1'b0;
          end
        end
        FetchRecord: if (issued_q && loader_done) state_d = CheckRecord;
        CheckRecord: begin
          r_d = record_in;
          if (!record_ok(record_in, KP, YP, CP, PP)) begin
            fail      = 1'b1;
            err_code_d = CtrlErrRecord;
            err_addr_d = program_base_i + record_offset;
          end else begin
            state_d  = LoadParamWords;
            issued_d = 1'b0;
            layer_cycles_d = '0;
          end
        end
        LoadParamWords: if (issued_q && loader_done && stream_crc != r_q.param_crc) begin
          fail      = 1'b1;
          err_code_d = CtrlErrParamCrc;
          err_addr_d = win_base_i + r_q.param_addr;
        end else if (issued_q && loader_done) begin
          layer_start = 1'b1;
          state_d     = TileSetup;
        end
        TileSetup: begin  // the walk's tile, and the halves its data goes to
          tile_plan = 1'b1;
          ld_d         = walk;
          ld_d.in_half = in_half;
          ld_d.wt_half = wt_half;
          load_in_d = load_in;
          load_wt_d = load_wt;
          wm_kick_d = 1'b1;
          state_d   = LoadInput;
          issued_d  = 1'b0;
        end
        // A tile's loads in turn: each once its data is in, or at once when the tile reads
        // nothing there (`reading`: the data is held already, or the weight masters load it).
        LoadInput, LoadWeightWords, LoadResidualWords: begin
          if (!reading || (issued_q && loader_done)) begin
            state_d  = (state_q == LoadInput) ? LoadWeightWords
                     : (state_q == LoadWeightWords) ? LoadResidualWords : Handoff;
            issued_d = 1'b0;
          end
        end
        Handoff: if (!cmp_valid_q && !wm_busy && weights_bad) begin
          fail      = 1'b1;
          err_code_d = CtrlErrWeights;
          err_addr_d = win_base_i + r_q.wt_addr + wt_offset(ld_q);
        end else if (!cmp_valid_q && !wm_busy) begin  // the core passed its last tile on
          handoff     = 1'b1;
          cmp_start_d = 1'b1;
          state_d     = NextTile;
        end
        NextTile: begin
          tile_next = 1'b1;
          state_d   = last_tile ? LayerEnd : TileSetup;
        end
        LayerEnd: if (!cmp_valid_q && !dr_valid_q) begin
          layer_done_d       = 1'b1;
          layer_index_d      = layer_q;
          layer_cycles_out_d = layer_cycles_q;
          issued_d           = 1'b0;
          if (layer_q == layers_q - 1'b1) begin
            state_d = Idle;
            done_d  = 1'b1;
          end else begin
            layer_d = layer_q + 1'b1;
            state_d = FetchRecord;
          end
        end
        Failed: ;  // until a soft reset
        default: state_d = Idle;
      endcase
    end
    if (fail) begin
      state_d     = Failed;
      err_valid_d = 1'b1;
    end
  end

  // Compute and drain stages: a computed tile moves on to the drain once the drain is free.
  always_comb begin
    cmp_d       = cmp_q;
    cmp_valid_d = cmp_valid_q;
    cmp_done_d  = cmp_done_q || core_done_i;
    dr_d        = dr_q;
    dr_valid_d  = dr_valid_q && !(dr_issued_q && wr_resp_i.done);
    dr_issued_d = dr_issued_q || wr_issue;
    if (cmp_valid_q && (cmp_done_q || core_done_i) && !dr_valid_q) begin
      dr_d        = cmp_q;
      dr_valid_d  = 1'b1;
      dr_issued_d = 1'b0;
      cmp_valid_d = 1'b0;
      cmp_done_d  = 1'b0;
    end
    if (handoff) begin
      cmp_d       = ld_q;
      cmp_valid_d = 1'b1;
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i || clear_i) begin
      state_q      <= Idle;
      issued_q     <= 1'b0;
      done_o       <= 1'b0;
      err_valid_o  <= 1'b0;
      err_code_o   <= CtrlErrNone;
      err_addr_o   <= '0;
      layer_done_o <= 1'b0;
      cmp_valid_q  <= 1'b0;
      cmp_done_q   <= 1'b0;
      cmp_start_q  <= 1'b0;
      dr_valid_q   <= 1'b0;
      dr_issued_q  <= 1'b0;
      wm_kick_q    <= 1'b0;
    end else begin
      state_q        <= state_d;
      issued_q       <= issued_d;
      done_o         <= done_d;
      err_valid_o    <= err_valid_d;
      err_code_o     <= err_code_d;
      err_addr_o     <= err_addr_d;
      layer_done_o   <= layer_done_d;
      layer_index_o  <= layer_index_d;
      layer_cycles_o <= layer_cycles_out_d;
      layer_cycles_q <= layer_cycles_d;
      layers_q       <= layers_d;
      program_crc_q  <= program_crc_d;
      r_q            <= r_d;
      layer_q        <= layer_d;
      ld_q           <= ld_d;
      load_in_q      <= load_in_d;
      load_wt_q      <= load_wt_d;
      cmp_q          <= cmp_d;
      cmp_valid_q    <= cmp_valid_d;
      cmp_done_q     <= cmp_done_d;
      cmp_start_q    <= cmp_start_d;
      dr_q           <= dr_d;
      dr_valid_q     <= dr_valid_d;
      dr_issued_q    <= dr_issued_d;
      wm_kick_q      <= wm_kick_d;
    end
  end

  assign busy_o = state_q != Idle && !failed;
  assign core_idle_o = busy_o && !(cmp_valid_q && !cmp_done_q);

  `TESSEL_ASSERT(ctrl_one_tile_per_stage, core_done_i |-> cmp_valid_q && !cmp_done_q)
  `TESSEL_ASSERT(ctrl_drain_owns_write, wr_issue |-> dr_valid_q)
  `TESSEL_ASSERT(ctrl_done_empty, done_o |-> !cmp_valid_q && !dr_valid_q)

  // The overlap the cost model counts on (docs/hardware.md, "Tiling controller").
  `TESSEL_COVER(ctrl_load_beside_compute_and_drain,
                (state_q inside {LoadInput, LoadWeightWords, LoadResidualWords})
                && cmp_valid_q && !cmp_done_q && dr_valid_q)
  `TESSEL_COVER(ctrl_loaded_tile_waits_for_core, state_q == Handoff && cmp_valid_q)
  `TESSEL_COVER(ctrl_computed_tile_waits_for_drain, cmp_valid_q && cmp_done_q && dr_valid_q)
  `TESSEL_COVER(ctrl_layer_end_waits_for_drain, state_q == LayerEnd && dr_valid_q)
  `TESSEL_COVER(ctrl_weights_checked_held, state_q == Handoff && is_conv && !load_wt_q)
  `TESSEL_COVER(ctrl_fails_with_tiles_in_flight, failed && !$past(failed) && (cmp_valid_q || dr_valid_q))
endmodule
