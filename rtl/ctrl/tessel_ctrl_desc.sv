// The compute core's tile descriptor: the layer's fields as the record has them (the record and
// the descriptor start with the same layer_fields_t), then where the tile lies: its rows and
// groups, and the buffer halves of its data.
module tessel_ctrl_desc
  import tessel_config_pkg::*;
  import tessel_desc_pkg::*;
  import tessel_ctrl_pkg::*;
#(
  /// Output channels per output group.
  parameter int unsigned KP = ArrayKP
) (
  input  layer_desc_t record_i,
  input  ctrl_tile_t  tile_i,
  output tile_desc_t  desc_o
);
  localparam int unsigned ActHalf = BuffersActBankWords / 2;
  localparam int unsigned WtHalf  = BuffersWeightWords / 2;
  localparam int unsigned OutHalf = BuffersOutBankWords / 2;

  tile_fields_t tile;
  always_comb begin
    tile            = '0;  // ix0, ox0: a tile spans whole rows
    tile.iy0        = tile_i.iy0;
    tile.ih         = tile_i.in_rows;
    tile.act_base   = ActAddrWidth'(tile_i.in_half ? ActHalf : 0);
    tile.oy0        = tile_i.oy0;
    tile.oh         = tile_i.rows;
    tile.kgroups    = tile_i.nk;
    tile.k_last     = (tile_i.kg0 + tile_i.nk == record_i.kgroups) ? record_i.k_last
                                                                   : ChannelWidth'(KP);
    tile.wt_base    = WeightAddrWidth'(tile_i.wt_half ? WtHalf : 0);
    tile.param_base = ParamAddrWidth'(tile_i.kg0);
    tile.out_base   = OutAddrWidth'(tile_i.out_half ? OutHalf : 0);
    tile.res_base   = OutAddrWidth'(tile_i.out_half ? OutHalf : 0);
  end
  // The record starts with the layer's fields.
  assign desc_o = {layer_fields_t'(record_i[$bits(layer_desc_t)-1 -: $bits(layer_fields_t)]), tile};
endmodule
