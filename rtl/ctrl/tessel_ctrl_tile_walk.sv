// The tile walk of one layer, as scripts/tessel/plan/tiling.py plans it: bands of
// tile_rows output rows x blocks of tile_kgroups output groups, blocks outer (order 0,
// weight-stationary) or bands outer (order 1, input-stationary). Gives the current tile: its
// output groups and rows, the input band they read (clipped to the image) and its output
// buffer half (the halves alternate tile by tile); tessel_ctrl_halves places its input and
// weights.
module tessel_ctrl_tile_walk
  import tessel_desc_pkg::*;
  import tessel_ctrl_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_i,
  input  logic        start_i,   // a layer begins: its first tile
  input  logic        next_i,    // the current tile is planned: go to the next
  input  layer_desc_t record_i,  // the layer (held while it runs)
  output ctrl_tile_t  tile_o,    // the current tile (in_half, wt_half: 0)
  output logic        last_o     // the layer's last tile
);
  typedef struct packed {
    coord_t band, bands;    // band index, bands in the layer
    group_t block, blocks;  // block index, blocks in the layer
    logic   out_half;
  } walk_t;
  walk_t q, d;

  wire last_band  = q.band == q.bands - 1'b1;
  wire last_block = q.block == q.blocks - 1'b1;
  assign last_o = last_band && last_block;

  always_comb begin
    d = q;
    if (start_i) begin
      d.bands    = CoordWidth'((32'(record_i.oh) + 32'(record_i.tile_rows) - 1) / 32'(record_i.tile_rows));
      d.blocks   = GroupWidth'((32'(record_i.kgroups) + 32'(record_i.tile_kgroups) - 1)
                               / 32'(record_i.tile_kgroups));
      d.band     = '0;
      d.block    = '0;
      d.out_half = 1'b0;
    end else if (next_i) begin
      d.out_half = !q.out_half;
      // The inner index steps; where it wraps, the outer one steps.
      if (!last_o && record_i.order == 1'b0) begin  // bands inner
        d.band = last_band ? '0 : q.band + 1'b1;
        if (last_band) d.block = q.block + 1'b1;
      end else if (!last_o) begin                    // blocks inner
        d.block = last_block ? '0 : q.block + 1'b1;
        if (last_block) d.band = q.band + 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) q <= '0;
    else       q <= d;
  end

  // The tile at (band, block), its input band clipped to the image.
  always_comb begin
    int signed top, bottom;
    tile_o          = '0;
    tile_o.out_half = q.out_half;
    tile_o.kg0  = GroupWidth'(32'(q.block) * 32'(record_i.tile_kgroups));
    tile_o.oy0  = CoordWidth'(32'(q.band) * 32'(record_i.tile_rows));
    tile_o.nk   = (32'(tile_o.kg0) + 32'(record_i.tile_kgroups) > 32'(record_i.kgroups))
                  ? record_i.kgroups - tile_o.kg0 : record_i.tile_kgroups;
    tile_o.rows = (32'(tile_o.oy0) + 32'(record_i.tile_rows) > 32'(record_i.oh))
                  ? record_i.oh - tile_o.oy0 : record_i.tile_rows;
    top    = int'(tile_o.oy0) * int'(record_i.sy) - int'(record_i.py);
    bottom = (int'(tile_o.oy0) + int'(tile_o.rows) - 1) * int'(record_i.sy) - int'(record_i.py)
             + int'(record_i.kh);
    tile_o.iy0     = CoordWidth'(top < 0 ? 0 : top);
    tile_o.in_rows = CoordWidth'((bottom > int'(record_i.in_h) ? int'(record_i.in_h) : bottom)
                                 - int'(tile_o.iy0));
  end
endmodule
