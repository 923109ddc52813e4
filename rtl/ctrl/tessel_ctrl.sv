// Tiling controller: runs a whole program without the host. After start it fetches the
// program header (and refuses a program built for other parameters), then for each layer
// fetches and checks its record, loads its parameters and walks its tiles exactly as
// scripts/tessel/backend/tiling.py plans them: bands of output rows x blocks of output
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
  output logic [15:0]          layer_index_o,
  output logic [31:0]          layer_cycles_o,
  output logic                 core_idle_o,    // busy but the core waits for data (stall)
  // DMA.
  output logic                 rd_cmd_valid_o,
  input  logic                 rd_cmd_ready_i,
  output dma_cmd_t             rd_cmd_o,
  input  logic                 rd_valid_i,
  output logic                 rd_ready_o,
  input  logic [BeatBits-1:0]  rd_data_i,
  input  logic                 rd_last_i,
  output logic                 wr_cmd_valid_o,
  input  logic                 wr_cmd_ready_i,
  output dma_cmd_t             wr_cmd_o,
  output logic                 wr_valid_o,
  input  logic                 wr_ready_i,
  output logic [BeatBits-1:0]  wr_data_o,
  output logic                 wr_last_o,
  input  logic                 wr_done_i,
  input  logic                 dma_err_i,
  // Weight masters (tied off when WeightPorts = 0).
  output logic [WP-1:0]        wm_cmd_valid_o,
  input  logic [WP-1:0]        wm_cmd_ready_i,
  output dma_cmd_t [WP-1:0]    wm_cmd_o,
  input  logic [WP-1:0]        wm_valid_i,
  output logic [WP-1:0]        wm_ready_o,
  input  logic [WP-1:0][BeatBits-1:0] wm_data_i,
  input  logic [WP-1:0]        wm_last_i,
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
  localparam int unsigned ActHalf = BuffersActBankWords / 2;
  localparam int unsigned WtHalf = BuffersWeightWords / 2;
  localparam int unsigned OutHalf = BuffersOutBankWords / 2;
  localparam int unsigned Banks = act_banks(YP);
  localparam logic [2:0] LoadCapture = 3'd0, LoadAct = 3'd1, LoadResidual = 3'd2,
                         LoadWeights = 3'd3, LoadParams = 3'd4;

  typedef enum logic [3:0] {
    Idle, FetchHeader, CheckHeader, CheckProgram, FetchRecord, CheckRecord, LoadParamWords,
    TileSetup, LoadInput, LoadWeightWords, LoadResidualWords, Handoff, NextTile, LayerEnd, Failed
  } state_e;

  // One tile: its output groups and rows, its input band, and the buffer halves of its data.
  typedef struct packed {
    logic [9:0]  kg0, nk;
    logic [11:0] oy0, rows, iy0, in_rows;
    logic        in_half, wt_half, out_half;
  } tile_t;

  state_e state_q;
  logic [15:0]     layers_q;   // layer records in the program
  logic [31:0]     program_crc_q;  // the header's CRC-32 of the records
  layer_desc_t     r_q;        // the current layer's record
  logic [15:0]     layer_q;
  logic [31:0]     layer_cycles_q;
  logic            issued_q;   // this state's DMA read was accepted
  logic            loader_start, loader_done;
  logic [2:0]      loader_mode;
  logic [11:0]     loader_width, loader_row_words;
  logic [15:0]     loader_base;
  logic [CaptureBytes*8-1:0] capture;

  // ---- tile walk: three stages, one tile each ----------------------------------------------
  // The state machine plans and loads tile i+1 while the core computes tile i and the drain
  // writes tile i-1. A tile is handed to the core only when the previous one has moved on to
  // the drain, and that only when the drain before it has finished, so
  //   - loads of tile i+1 go to halves tile i does not read (the halves of tile i-1, whose
  //     compute is over),
  //   - the core writes the output half of tile i-1's predecessor only after its drain.
  // A layer's last tile is drained before the next record is fetched: the next layer reads
  // what this one wrote.
  logic [11:0] band_q, bands_q;           // band index, bands in the layer
  logic [9:0]  block_q, blocks_q;         // block index, blocks in the layer
  logic [31:0] tile_q;                    // tiles planned in this layer (output half = bit 0)
  tile_t       ld_q;                      // the tile being loaded
  logic        load_in_q, load_wt_q;
  tile_t       cmp_q;                     // the tile in the core
  logic        cmp_valid_q, cmp_done_q, cmp_start_q;
  tile_t       dr_q;                      // the tile being drained
  logic        dr_valid_q, dr_issued_q;
  // What each half holds: input band (first row, rows, first group), weights (first group).
  logic [1:0]  in_held_q, wt_held_q;
  logic [11:0] in_iy0_q [2], in_rows_held_q [2];
  logic [9:0]  in_kg_q [2], wt_kg_q [2];
  logic        in_last_q, wt_last_q;

  wire is_conv = r_q.op == OpConv;
  wire [AddrWidth-1:0] record_offset = AddrWidth'(HeaderBytes) + AddrWidth'(32'(layer_q) * RecordBytes);
  wire last_tile = (band_q == bands_q - 12'd1) && (block_q == blocks_q - 10'd1);
  wire failed = state_q == Failed;

  // ---- record checks: everything the hardware relies on ------------------------------------
  function automatic logic record_ok(layer_desc_t r);
    logic ok;
    int unsigned worst_rows, in_groups;
    ok = r.op <= OpAvgPool && r.kh != 0 && r.kw != 0 && r.sy != 0 && r.sx != 0
         && r.in_h != 0 && r.in_w != 0 && r.oh != 0 && r.ow != 0 && r.kgroups != 0
         && r.groups != 0 && r.c_last != 0 && 32'(r.c_last) <= CP && r.k_last != 0
         && 32'(r.k_last) <= KP && r.cols != 0 && 32'(r.cols) <= YP && 32'(r.cols) % PP == 0
         && r.tile_rows != 0 && r.tile_kgroups != 0 && r.tile_kgroups <= r.kgroups
         && r.act_wb == 12'((32'(r.in_w) + Banks - 1) / Banks)
         && r.out_wb == 12'((32'(r.ow) + PP - 1) / PP)
         && 32'(r.kgroups) <= BuffersParamWords
         && (r.op != OpAvgPool || r.avg_area != 0)
         && !(r.op == OpConv && r.res_en && !r.b_en);
    worst_rows = 32'(r.tile_rows - 12'd1) * 32'(r.sy) + 32'(r.kh);
    if (worst_rows > 32'(r.in_h)) worst_rows = 32'(r.in_h);
    in_groups = (r.op == OpConv) ? 32'(r.groups) : 32'(r.tile_kgroups);
    ok = ok && in_groups * worst_rows * 32'(r.act_wb) <= ActHalf
            && 32'(r.tile_kgroups) * 32'(r.tile_rows) * 32'(r.out_wb) <= OutHalf
            && (r.op != OpConv ||
                32'(r.tile_kgroups) * 32'(r.kh) * 32'(r.kw) * 32'(r.groups) <= WtHalf);
    return ok;
  endfunction

  function automatic logic header_format_ok(program_header_t h);
    return h.version == 16'(ProgramVersion) && h.record_bytes == 16'(RecordBytes)
        && h.layers != '0 && h.flags == '0;
  endfunction

  function automatic logic header_config_ok(program_header_t h);
    return h.k_p == KP && h.y_p == YP && h.c_p == CP && h.ppu_pixels == PP
        && h.act_bank_words == BuffersActBankWords && h.weight_words == BuffersWeightWords
        && h.param_words == BuffersParamWords && h.out_bank_words == BuffersOutBankWords
        && h.axi_data_width == AxiDataWidth;
  endfunction

  // ---- DMA commands -------------------------------------------------------------------------
  // Data addresses in the program are offsets from the window base; the program itself is
  // fetched from its own address.
  function automatic dma_cmd_t cmd(logic [AddrWidth-1:0] offset, logic [23:0] row_bytes,
                                   logic [15:0] rows, logic [31:0] stride, logic absolute = 1'b0);
    dma_cmd_t c;
    c.addr = absolute ? offset : win_base_i + offset;
    c.row_bytes = row_bytes;
    c.rows = rows;
    c.row_stride = stride;
    c.planes = 16'd1;
    c.plane_stride = '0;
    return c;
  endfunction

  wire [31:0] in_plane  = 32'(r_q.in_h) * 32'(r_q.in_w) * CP;   // bytes of one input group
  wire [31:0] out_plane = 32'(r_q.oh) * 32'(r_q.ow) * KP;       // bytes of one output group
  wire [31:0] wt_group  = 32'(r_q.kh) * 32'(r_q.kw) * 32'(r_q.groups) * KP * CP;
  // Where a tile's output rows start in the output (or residual) tensor.
  function automatic logic [AddrWidth-1:0] out_offset(tile_t t);
    return AddrWidth'(32'(t.kg0) * out_plane + 32'(t.oy0) * 32'(r_q.ow) * KP);
  endfunction

  always_comb begin
    rd_cmd_o = '0;
    unique case (state_q)
      FetchHeader: rd_cmd_o = cmd(program_base_i, 24'(CaptureBytes), 16'd1, '0, 1'b1);
      CheckProgram: rd_cmd_o = cmd(program_base_i + AddrWidth'(HeaderBytes),
                                   24'(32'(layers_q) * RecordBytes), 16'd1, '0, 1'b1);
      FetchRecord: rd_cmd_o = cmd(program_base_i + record_offset, 24'(CaptureBytes), 16'd1, '0, 1'b1);
      LoadParamWords: rd_cmd_o = cmd(r_q.param_addr, 24'(32'(r_q.kgroups) * ParamWordBytes),
                                     16'd1, '0);
      LoadInput: rd_cmd_o = cmd(r_q.in_addr + AddrWidth'((is_conv ? '0 : 32'(ld_q.kg0) * in_plane)
                                + 32'(ld_q.iy0) * 32'(r_q.in_w) * CP),
                                24'(32'(ld_q.in_rows) * 32'(r_q.in_w) * CP),
                                is_conv ? 16'(r_q.groups) : 16'(ld_q.nk), in_plane);
      LoadWeightWords: rd_cmd_o = cmd(r_q.wt_addr + AddrWidth'(32'(ld_q.kg0) * wt_group),
                                      24'(32'(ld_q.nk) * wt_group), 16'd1, '0);
      LoadResidualWords: rd_cmd_o = cmd(r_q.res_addr + out_offset(ld_q),
                                        24'(32'(ld_q.rows) * 32'(r_q.ow) * KP), 16'(ld_q.nk),
                                        out_plane);
      default: ;
    endcase
    wr_cmd_o = cmd(r_q.out_addr + out_offset(dr_q), 24'(32'(dr_q.rows) * 32'(r_q.ow) * KP),
                   16'(dr_q.nk), out_plane);
  end

  // A read is issued only by a state that needs one: loads a tile can skip issue nothing.
  wire reading = state_q inside {FetchHeader, CheckProgram, FetchRecord, LoadParamWords}
                 || (state_q == LoadInput && load_in_q)
                 || (state_q == LoadWeightWords && load_wt_q && WeightPorts == 0)
                 || (state_q == LoadResidualWords && r_q.res_en);
  assign rd_cmd_valid_o = reading && !issued_q;
  assign wr_cmd_valid_o = dr_valid_q && !dr_issued_q && !failed;
  wire rd_issue = rd_cmd_valid_o && rd_cmd_ready_i;
  wire wr_issue = wr_cmd_valid_o && wr_cmd_ready_i;

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
        loader_base = 16'(ld_q.in_half ? ActHalf : 0);
      end
      LoadWeightWords: begin
        loader_mode = LoadWeights;
        loader_base = 16'(ld_q.wt_half ? WtHalf : 0);
      end
      LoadResidualWords: begin
        loader_mode      = LoadResidual;
        loader_width     = r_q.ow;
        loader_row_words = r_q.out_wb;
        loader_base      = 16'(ld_q.out_half ? OutHalf : 0);
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
    .rd_valid_i, .rd_ready_o, .rd_data_i, .rd_last_i, .done_o (loader_done),
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
    .wr_valid_o, .wr_ready_i, .wr_data_o, .wr_last_o
  );

  // ---- integrity checks ----------------------------------------------------------------------
  // The records and each layer's parameter words pass one CRC-32 on the main read stream.
  wire main_take = rd_valid_i && rd_ready_o;
  logic [31:0] stream_crc;
  tessel_crc32 #(.DataBits(BeatBits)) u_stream_crc (
    .clk_i, .clear_i (rd_issue), .valid_i (main_take && state_q inside {CheckProgram, LoadParamWords}),
    .data_i (rd_data_i), .crc_o (stream_crc)
  );

  // A tile expects the weights' check sum of its groups [kg0, kg0 + nk): the difference of two
  // prefix sums from the parameter words, read while the tile loads (a tile spends at least
  // three cycles in the load states, so both are there at the hand-off).
  logic [31:0] check_last, check_before, wt_sum;
  tessel_sdp_ram #(.Width(32), .Depth(BuffersParamWords)) u_check_last (
    .clk_i, .wr_en_i (param_wr_valid_o), .wr_addr_i (param_wr_addr_o), .wr_data_i (param_check),
    .rd_en_i (1'b1), .rd_addr_i (ParamAddrWidth'(ld_q.kg0 + ld_q.nk - 10'd1)),
    .rd_data_o (check_last)
  );
  tessel_sdp_ram #(.Width(32), .Depth(BuffersParamWords)) u_check_before (
    .clk_i, .wr_en_i (param_wr_valid_o), .wr_addr_i (param_wr_addr_o), .wr_data_i (param_check),
    .rd_en_i (1'b1), .rd_addr_i (ParamAddrWidth'(ld_q.kg0 - 10'd1)), .rd_data_o (check_before)
  );
  wire [31:0] wt_expected = check_last - (ld_q.kg0 == '0 ? 32'd0 : check_before);
  wire [31:0] wt_first_beat = 32'(ld_q.kg0) * (wt_group / CP);  // the tile's first weight beat
  wire weights_bad = load_wt_q && wt_sum != wt_expected;

  // ---- weight masters ------------------------------------------------------------------------
  // The cycle after TileSetup (ld_q and load_wt_q are set) each master gets its run of the
  // tile's weight words: runs of ceil(words / WeightPorts), the last one shorter or empty.
  // Handoff waits until every master's loader has written its last word.
  logic wm_kick_q, wm_busy;
  if (WeightPorts > 0) begin : gen_wm
    logic [WP-1:0]    pending_q, loader_busy, loader_valid, grant;
    dma_cmd_t [WP-1:0] cmd_q;
    logic [WP-1:0][WeightAddrWidth-1:0] base_q, loader_addr;
    logic [WP-1:0][KP*CP*8-1:0] loader_data;
    wire [31:0] words = 32'(ld_q.nk) * 32'(r_q.kh) * 32'(r_q.kw) * 32'(r_q.groups);
    wire [31:0] run   = (words + WP - 1) / WP;

    always_ff @(posedge clk_i) begin
      if (rst_i || clear_i) begin
        pending_q <= '0;
      end else if (wm_kick_q && load_wt_q) begin
        for (int p = 0; p < WP; p++) begin
          logic [31:0] first, count;
          first = 32'(p) * run;
          count = (first >= words) ? 32'd0 : (words - first < run) ? words - first : run;
          pending_q[p] <= count != 0;
          cmd_q[p]  <= cmd(r_q.wt_addr + AddrWidth'(32'(ld_q.kg0) * wt_group + first * KP * CP),
                           24'(count * KP * CP), 16'd1, '0);
          base_q[p] <= WeightAddrWidth'(32'(ld_q.wt_half ? WtHalf : 0) + first);
        end
      end else begin
        pending_q <= pending_q & ~wm_cmd_ready_i;
      end
    end
    assign wm_cmd_valid_o = failed ? '0 : pending_q;
    assign wm_cmd_o       = cmd_q;

    logic [WP-1:0][31:0] sums;
    always_comb begin
      wt_sum = '0;
      for (int p = 0; p < WP; p++) wt_sum += sums[p];
    end
    for (genvar p = 0; p < WP; p++) begin : gen_loader
      tessel_beat_check #(.DataBits(BeatBits)) u_check (
        .clk_i, .start_i (wm_kick_q && load_wt_q), .index_i (wt_first_beat + 32'(p) * run * KP),
        .valid_i (wm_valid_i[p] && wm_ready_o[p]), .data_i (wm_data_i[p]), .sum_o (sums[p])
      );
      tessel_ctrl_wt_loader #(.CP(CP), .KP(KP)) u_wt_loader (
        .clk_i, .rst_i (rst_i || clear_i),
        .start_i (wm_cmd_valid_o[p] && wm_cmd_ready_i[p]), .base_i (base_q[p]),
        .busy_o (loader_busy[p]),
        .rd_valid_i (wm_valid_i[p]), .rd_ready_o (wm_ready_o[p]), .rd_data_i (wm_data_i[p]),
        .rd_last_i (wm_last_i[p]),
        .wr_valid_o (loader_valid[p]), .wr_ready_i (grant[p]), .wr_addr_o (loader_addr[p]),
        .wr_data_o (loader_data[p])
      );
    end

    // The weight buffer's write port: the lowest-numbered waiting word goes first.
    always_comb begin
      grant = '0;
      wt_wr_valid_o = 1'b0;
      wt_wr_addr_o  = loader_addr[0];
      wt_wr_data_o  = loader_data[0];
      for (int p = WP - 1; p >= 0; p--) begin
        if (loader_valid[p]) begin
          grant = WP'(1) << p;
          wt_wr_valid_o = 1'b1;
          wt_wr_addr_o  = loader_addr[p];
          wt_wr_data_o  = loader_data[p];
        end
      end
    end
    assign wm_busy = wm_kick_q || (|pending_q) || (|loader_busy);

    logic unused_wm;
    assign unused_wm = ^{ld_wt_valid, ld_wt_addr, ld_wt_data};
    `TESSEL_COVER(ctrl_weights_beside_input, state_q == LoadInput && (|loader_busy))
    `TESSEL_COVER(ctrl_weight_words_wait, (|(loader_valid & ~grant)))
  end else begin : gen_no_wm
    assign wm_cmd_valid_o = '0;
    assign wm_cmd_o       = '0;
    assign wm_ready_o     = '0;
    assign wm_busy        = 1'b0;
    assign wt_wr_valid_o  = ld_wt_valid;
    assign wt_wr_addr_o   = ld_wt_addr;
    assign wt_wr_data_o   = ld_wt_data;
    tessel_beat_check #(.DataBits(BeatBits)) u_check (
      .clk_i, .start_i (rd_issue && state_q == LoadWeightWords), .index_i (wt_first_beat),
      .valid_i (main_take && state_q == LoadWeightWords), .data_i (rd_data_i), .sum_o (wt_sum)
    );
    logic unused_wm;
    assign unused_wm = ^{wm_kick_q, wm_cmd_ready_i, wm_valid_i, wm_data_i, wm_last_i};
  end

  // ---- the tile descriptor for the core --------------------------------------------------------
  always_comb begin
    core_desc_o = '0;
    core_desc_o.op = r_q.op;          core_desc_o.kh = r_q.kh;          core_desc_o.kw = r_q.kw;
    core_desc_o.sy = r_q.sy;          core_desc_o.sx = r_q.sx;          core_desc_o.py = r_q.py;
    core_desc_o.px = r_q.px;          core_desc_o.cols = r_q.cols;
    core_desc_o.in_h = r_q.in_h;      core_desc_o.in_w = r_q.in_w;
    core_desc_o.iy0 = cmp_q.iy0;      core_desc_o.ix0 = '0;             core_desc_o.ih = cmp_q.in_rows;
    core_desc_o.act_wb = r_q.act_wb;
    core_desc_o.act_base = ActAddrWidth'(cmp_q.in_half ? ActHalf : 0);
    core_desc_o.groups = r_q.groups;  core_desc_o.c_last = r_q.c_last;
    core_desc_o.oy0 = cmp_q.oy0;      core_desc_o.ox0 = '0;             core_desc_o.oh = cmp_q.rows;
    core_desc_o.ow = r_q.ow;          core_desc_o.kgroups = cmp_q.nk;
    core_desc_o.k_last = (cmp_q.kg0 + cmp_q.nk == r_q.kgroups) ? r_q.k_last : 6'(KP);
    core_desc_o.wt_base = WeightAddrWidth'(cmp_q.wt_half ? WtHalf : 0);
    core_desc_o.param_base = ParamAddrWidth'(cmp_q.kg0);
    core_desc_o.out_base = OutAddrWidth'(cmp_q.out_half ? OutHalf : 0);
    core_desc_o.out_wb = r_q.out_wb;
    core_desc_o.pad_value = r_q.pad_value;
    core_desc_o.a_zero = r_q.a_zero;  core_desc_o.a_min = r_q.a_min;   core_desc_o.a_max = r_q.a_max;
    core_desc_o.avg_area = r_q.avg_area; core_desc_o.avg_mult = r_q.avg_mult;
    core_desc_o.avg_shift = r_q.avg_shift;
    core_desc_o.b_en = r_q.b_en;      core_desc_o.res_en = r_q.res_en;
    core_desc_o.b_x_zero = r_q.b_x_zero; core_desc_o.b_u_zero = r_q.b_u_zero;
    core_desc_o.b_zero = r_q.b_zero;  core_desc_o.b_min = r_q.b_min;   core_desc_o.b_max = r_q.b_max;
    core_desc_o.res_base = OutAddrWidth'(cmp_q.out_half ? OutHalf : 0);
  end
  assign core_start_o = cmp_start_q;

  // ---- the state machine ----------------------------------------------------------------------------
  logic unused_capture;  // capture beats past the header / record fields
  assign unused_capture = ^capture;
  program_header_t header_in;   // the captured beats as a header / a record
  layer_desc_t     record_in;
  assign header_in = capture[$bits(program_header_t)-1:0];
  assign record_in = capture[$bits(layer_desc_t)-1:0];


  always_ff @(posedge clk_i) begin
    if (rst_i || clear_i) begin
      state_q     <= Idle;
      issued_q    <= 1'b0;
      done_o      <= 1'b0;
      err_valid_o <= 1'b0;
      err_code_o  <= CtrlErrNone;
      err_addr_o  <= '0;
      layer_done_o <= 1'b0;
      cmp_valid_q <= 1'b0;
      cmp_done_q  <= 1'b0;
      cmp_start_q <= 1'b0;
      dr_valid_q  <= 1'b0;
      dr_issued_q <= 1'b0;
      wm_kick_q   <= 1'b0;
    end else begin
      done_o       <= 1'b0;
      layer_done_o <= 1'b0;
      cmp_start_q  <= 1'b0;
      wm_kick_q    <= 1'b0;
      if (rd_issue) issued_q <= 1'b1;
      layer_cycles_q <= layer_cycles_q + 32'd1;

      // Compute and drain stages.
      if (core_done_i) cmp_done_q <= 1'b1;
      if (wr_issue) dr_issued_q <= 1'b1;
      if (dr_valid_q && dr_issued_q && wr_done_i) dr_valid_q <= 1'b0;
      if (cmp_valid_q && (cmp_done_q || core_done_i) && !dr_valid_q) begin
        dr_q        <= cmp_q;
        dr_valid_q  <= 1'b1;
        dr_issued_q <= 1'b0;
        cmp_valid_q <= 1'b0;
        cmp_done_q  <= 1'b0;
      end

      if (dma_err_i && state_q != Idle) begin
        state_q <= Failed;  // the DMA holds its own code and address
      end else begin
        unique case (state_q)
          Idle: if (start_i) begin
            state_q  <= FetchHeader;
            issued_q <= 1'b0;
          end
          FetchHeader: if (issued_q && loader_done) state_q <= CheckHeader;
          CheckHeader: begin
            layers_q      <= header_in.layers;
            program_crc_q <= header_in.crc;
            if (header_in.magic != ProgramMagic)
              fail(CtrlErrMagic, program_base_i);
            else if (!header_format_ok(header_in))
              fail(CtrlErrVersion, program_base_i);
            else if (!header_config_ok(header_in))
              fail(CtrlErrConfig, program_base_i);
            else begin
              state_q  <= CheckProgram;
              issued_q <= 1'b0;
            end
          end
          CheckProgram: if (issued_q && loader_done) begin  // every record, through the CRC
            if (stream_crc != program_crc_q) begin
              fail(CtrlErrProgramCrc, program_base_i);
            end else begin
              layer_q  <= '0;
              state_q  <= FetchRecord;
              issued_q <= 1'b0;
            end
          end
          FetchRecord: if (issued_q && loader_done) state_q <= CheckRecord;
          CheckRecord: begin
            r_q <= record_in;
            if (!record_ok(record_in)) begin
              fail(CtrlErrRecord, program_base_i + record_offset);
            end else begin
              state_q  <= LoadParamWords;
              issued_q <= 1'b0;
              layer_cycles_q <= '0;
            end
          end
          LoadParamWords: if (issued_q && loader_done && stream_crc != r_q.param_crc) begin
            fail(CtrlErrParamCrc, win_base_i + r_q.param_addr);
          end else if (issued_q && loader_done) begin
            bands_q  <= 12'((32'(r_q.oh) + 32'(r_q.tile_rows) - 1) / 32'(r_q.tile_rows));
            blocks_q <= 10'((32'(r_q.kgroups) + 32'(r_q.tile_kgroups) - 1) / 32'(r_q.tile_kgroups));
            band_q <= '0; block_q <= '0; tile_q <= '0;
            in_held_q <= '0; wt_held_q <= '0; in_last_q <= 1'b1; wt_last_q <= 1'b1;
            state_q <= TileSetup;
          end
          TileSetup: begin
            setup_tile();
            wm_kick_q <= 1'b1;
            state_q  <= LoadInput;
            issued_q <= 1'b0;
          end
          LoadInput: begin
            if (!load_in_q) begin
              state_q <= LoadWeightWords;
            end else if (issued_q && loader_done) begin
              state_q  <= LoadWeightWords;
              issued_q <= 1'b0;
            end
          end
          LoadWeightWords: begin
            if (!load_wt_q || WeightPorts > 0) begin  // the weight masters load beside
              state_q <= LoadResidualWords;
            end else if (issued_q && loader_done) begin
              state_q  <= LoadResidualWords;
              issued_q <= 1'b0;
            end
          end
          LoadResidualWords: begin
            if (!r_q.res_en) begin
              state_q <= Handoff;
            end else if (issued_q && loader_done) begin
              state_q  <= Handoff;
              issued_q <= 1'b0;
            end
          end
          Handoff: if (!cmp_valid_q && !wm_busy && weights_bad) begin
            fail(CtrlErrWeights, win_base_i + r_q.wt_addr + AddrWidth'(32'(ld_q.kg0) * wt_group));
          end else if (!cmp_valid_q && !wm_busy) begin  // the core passed its last tile on
            cmp_q       <= ld_q;
            cmp_valid_q <= 1'b1;
            cmp_start_q <= 1'b1;
            state_q     <= NextTile;
          end
          NextTile: begin
            tile_q <= tile_q + 32'd1;
            if (last_tile) begin
              state_q <= LayerEnd;
            end else begin
              // Blocks outer (weight-stationary) or bands outer (input-stationary).
              if (r_q.order == 1'b0) begin
                if (band_q == bands_q - 12'd1) begin
                  band_q  <= '0;
                  block_q <= block_q + 10'd1;
                end else begin
                  band_q <= band_q + 12'd1;
                end
              end else begin
                if (block_q == blocks_q - 10'd1) begin
                  block_q <= '0;
                  band_q  <= band_q + 12'd1;
                end else begin
                  block_q <= block_q + 10'd1;
                end
              end
              state_q <= TileSetup;
            end
          end
          LayerEnd: if (!cmp_valid_q && !dr_valid_q) begin
            layer_done_o   <= 1'b1;
            layer_index_o  <= layer_q;
            layer_cycles_o <= layer_cycles_q;
            issued_q       <= 1'b0;
            if (layer_q == layers_q - 16'd1) begin
              state_q <= Idle;
              done_o  <= 1'b1;
            end else begin
              layer_q <= layer_q + 16'd1;
              state_q <= FetchRecord;
            end
          end
          Failed: ;  // until a soft reset
          default: state_q <= Idle;
        endcase
      end
    end
  end

  task automatic fail(ctrl_err_e code, logic [AddrWidth-1:0] addr);
    state_q     <= Failed;
    err_valid_o <= 1'b1;
    err_code_o  <= code;
    err_addr_o  <= addr;
  endtask

  // The tile's rows and groups, its input band, and the halves its data goes to.
  task automatic setup_tile();
    int signed top, bottom;
    logic [9:0]  kg0, nk;
    logic [11:0] oy0, rows, iy0, in_rows;
    logic [9:0]  key_kg;
    kg0  = 10'(32'(block_q) * 32'(r_q.tile_kgroups));
    oy0  = 12'(32'(band_q) * 32'(r_q.tile_rows));
    nk   = (32'(kg0) + 32'(r_q.tile_kgroups) > 32'(r_q.kgroups)) ? r_q.kgroups - kg0 : r_q.tile_kgroups;
    rows = (32'(oy0) + 32'(r_q.tile_rows) > 32'(r_q.oh)) ? r_q.oh - oy0 : r_q.tile_rows;
    top    = int'(oy0) * int'(r_q.sy) - int'(r_q.py);
    bottom = (int'(oy0) + int'(rows) - 1) * int'(r_q.sy) - int'(r_q.py) + int'(r_q.kh);
    iy0     = 12'(top < 0 ? 0 : top);
    in_rows = 12'((bottom > int'(r_q.in_h) ? int'(r_q.in_h) : bottom) - int'(iy0));
    ld_q.kg0 <= kg0; ld_q.nk <= nk; ld_q.oy0 <= oy0; ld_q.rows <= rows;
    ld_q.iy0 <= iy0; ld_q.in_rows <= in_rows; ld_q.out_half <= tile_q[0];
    key_kg = is_conv ? 10'd0 : kg0;
    // Input band: reuse a half that holds it, else the half the last tile did not use.
    if (in_held_q[0] && in_iy0_q[0] == iy0 && in_rows_held_q[0] == in_rows && in_kg_q[0] == key_kg) begin
      ld_q.in_half <= 1'b0; in_last_q <= 1'b0; load_in_q <= 1'b0;
    end else if (in_held_q[1] && in_iy0_q[1] == iy0 && in_rows_held_q[1] == in_rows && in_kg_q[1] == key_kg) begin
      ld_q.in_half <= 1'b1; in_last_q <= 1'b1; load_in_q <= 1'b0;
    end else begin
      ld_q.in_half <= !in_last_q; in_last_q <= !in_last_q; load_in_q <= 1'b1;
      in_held_q[!in_last_q] <= 1'b1;
      in_iy0_q[!in_last_q] <= iy0; in_rows_held_q[!in_last_q] <= in_rows; in_kg_q[!in_last_q] <= key_kg;
    end
    // Weights of the block, the same way (convolutions only).
    if (!is_conv) begin
      ld_q.wt_half <= 1'b0; load_wt_q <= 1'b0;
    end else if (wt_held_q[0] && wt_kg_q[0] == kg0) begin
      ld_q.wt_half <= 1'b0; wt_last_q <= 1'b0; load_wt_q <= 1'b0;
    end else if (wt_held_q[1] && wt_kg_q[1] == kg0) begin
      ld_q.wt_half <= 1'b1; wt_last_q <= 1'b1; load_wt_q <= 1'b0;
    end else begin
      ld_q.wt_half <= !wt_last_q; wt_last_q <= !wt_last_q; load_wt_q <= 1'b1;
      wt_held_q[!wt_last_q] <= 1'b1; wt_kg_q[!wt_last_q] <= kg0;
    end
  endtask

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
