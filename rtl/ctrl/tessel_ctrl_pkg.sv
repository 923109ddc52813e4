// Types and checks shared by the tiling controller's blocks.
package tessel_ctrl_pkg;
  import tessel_desc_pkg::*;

  // Error codes. The DMA's codes (tessel_dma_pkg::dma_err_e) are 1..8; the controller's follow,
  // so one ERR_CODE register tells them all apart.
  typedef enum logic [3:0] {
    CtrlErrNone    = 4'd0,
    CtrlErrMagic   = 4'd9,   // the program does not start with the magic number
    CtrlErrVersion = 4'd10,  // unknown program format version or record size
    CtrlErrConfig  = 4'd11,  // compiled for other build parameters
    CtrlErrRecord  = 4'd12,  // a malformed layer record (the address names it)
    CtrlErrProgramCrc = 4'd13,  // the layer records do not match the header's CRC-32
    CtrlErrParamCrc   = 4'd14,  // a layer's parameter words do not match its record's CRC-32
    CtrlErrWeights    = 4'd15   // a tile's weights do not match their check sum
  } ctrl_err_e;

  // One tile: its output groups and rows, its input band, and the buffer halves of its data.
  typedef struct packed {
    group_t kg0, nk;
    coord_t oy0, rows, iy0, in_rows;
    logic   in_half, wt_half, out_half;
  } ctrl_tile_t;

  // What a DMA read of the loader fills (tessel_ctrl_loader).
  typedef enum logic [2:0] {
    LoadCapture = 3'd0,  // a program header or layer record, kept whole
    LoadAct = 3'd1, LoadResidual = 3'd2, LoadWeights = 3'd3, LoadParams = 3'd4
  } load_mode_e;

  // ---- program checks: everything the hardware relies on ------------------------------------
  function automatic logic header_format_ok(program_header_t h);
    return h.version == $bits(h.version)'(ProgramVersion)
        && h.record_bytes == $bits(h.record_bytes)'(RecordBytes)
        && h.layers != '0 && h.flags == '0;
  endfunction

  // The build parameters (k_p, y_p, c_p, PPU pixels) the controller was built with.
  function automatic logic header_config_ok(program_header_t h, int unsigned kp, int unsigned yp,
                                            int unsigned cp, int unsigned pp);
    return h.k_p == kp && h.y_p == yp && h.c_p == cp && h.ppu_pixels == pp
        && h.act_bank_words == tessel_config_pkg::BuffersActBankWords
        && h.weight_words == tessel_config_pkg::BuffersWeightWords
        && h.param_words == tessel_config_pkg::BuffersParamWords
        && h.out_bank_words == tessel_config_pkg::BuffersOutBankWords
        && h.axi_data_width == tessel_config_pkg::AxiDataWidth;
  endfunction

  // A record the controller and the core can run: sizes in range, and a tile's data fits half
  // of each buffer (tiling.py plans tiles that way).
  function automatic logic record_ok(layer_desc_t r, int unsigned kp, int unsigned yp,
                                     int unsigned cp, int unsigned pp);
    localparam int unsigned ActHalf = tessel_config_pkg::BuffersActBankWords / 2;
    localparam int unsigned WtHalf  = tessel_config_pkg::BuffersWeightWords / 2;
    localparam int unsigned OutHalf = tessel_config_pkg::BuffersOutBankWords / 2;
    logic ok;
    int unsigned worst_rows, in_groups;
    ok = r.op <= OpAvgPool && r.kh != 0 && r.kw != 0 && r.sy != 0 && r.sx != 0
         && r.in_h != 0 && r.in_w != 0 && r.oh != 0 && r.ow != 0 && r.kgroups != 0
         && r.groups != 0 && r.c_last != 0 && 32'(r.c_last) <= cp && r.k_last != 0
         && 32'(r.k_last) <= kp && r.cols != 0 && 32'(r.cols) <= yp && 32'(r.cols) % pp == 0
         && r.tile_rows != 0 && r.tile_kgroups != 0 && r.tile_kgroups <= r.kgroups
         && r.act_wb == CoordWidth'((32'(r.in_w) + act_banks(yp) - 1) / act_banks(yp))
         && r.out_wb == CoordWidth'((32'(r.ow) + pp - 1) / pp)
         && 32'(r.kgroups) <= tessel_config_pkg::BuffersParamWords
         && (r.op != OpAvgPool || r.avg_area != 0)
         && !(r.op == OpConv && r.res_en && !r.b_en);
    worst_rows = 32'(r.tile_rows - coord_t'(1)) * 32'(r.sy) + 32'(r.kh);
    if (worst_rows > 32'(r.in_h)) worst_rows = 32'(r.in_h);
    in_groups = (r.op == OpConv) ? 32'(r.groups) : 32'(r.tile_kgroups);
    ok = ok && in_groups * worst_rows * 32'(r.act_wb) <= ActHalf
            && 32'(r.tile_kgroups) * 32'(r.tile_rows) * 32'(r.out_wb) <= OutHalf
            && (r.op != OpConv ||
                32'(r.tile_kgroups) * 32'(r.kh) * 32'(r.kw) * 32'(r.groups) <= WtHalf);
    return ok;
  endfunction

  // ---- the compute core's tile descriptor ---------------------------------------------------
  // The layer's fields as the record has them (the record and the descriptor start with the
  // same layer_fields_t), then where the tile lies: its rows and groups, and the buffer halves
  // of its data (halves of act_half, wt_half and out_half words).
  function automatic tile_desc_t tile_desc(layer_desc_t r, ctrl_tile_t t, int unsigned kp,
                                           int unsigned act_half, int unsigned wt_half,
                                           int unsigned out_half);
    tile_fields_t tile;
    tile            = '0;  // ix0, ox0: a tile spans whole rows
    tile.iy0        = t.iy0;
    tile.ih         = t.in_rows;
    tile.act_base   = ActAddrWidth'(t.in_half ? act_half : 0);
    tile.oy0        = t.oy0;
    tile.oh         = t.rows;
    tile.kgroups    = t.nk;
    tile.k_last     = (t.kg0 + t.nk == r.kgroups) ? r.k_last : ChannelWidth'(kp);
    tile.wt_base    = WeightAddrWidth'(t.wt_half ? wt_half : 0);
    tile.param_base = ParamAddrWidth'(t.kg0);
    tile.out_base   = OutAddrWidth'(t.out_half ? out_half : 0);
    tile.res_base   = OutAddrWidth'(t.out_half ? out_half : 0);
    return {layer_fields_t'(r[$bits(layer_desc_t)-1 -: $bits(layer_fields_t)]), tile};
  endfunction
endpackage
