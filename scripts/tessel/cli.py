"""The `tessel` command line."""

import argparse
import json
import sys

from . import cli_bounds
from .errors import TesselError, run_command

CHECK_IMAGES = 256  # check-golden's default: the first 256 test images (or all, if fewer)


def _model_arg(parser):
    parser.add_argument("model", help="a zoo model (digits, mnist, resnet18, resnet50) or "
                                      "package.module:function returning (model, calibration)")


def cmd_zoo(args) -> int:
    from . import zoo
    models = zoo.listing()
    width = max(len(m.name) for m in models)
    for m in models:
        print(f"{m.name:<{width}}  input {'x'.join(map(str, m.input_shape))}, {m.weights}")
        print(f"{'':<{width}}  {m.description}")
    print("Any other model: package.module:function returning (model, calibration_images).")
    return 0


def cmd_summary(args) -> int:
    from . import zoo
    from .compiler import compile as compile_network
    entry = zoo.resolve(args.model)
    network = compile_network(entry.model, entry.calibration, args.target, args.observer, entry.name)
    print(network.summary())
    return 0


def cmd_eval(args) -> int:
    from . import zoo
    from .evaluate import evaluate
    r = evaluate(zoo.resolve(args.model), args.observer)
    if args.json:
        print(json.dumps(r.as_dict(), indent=2))
        return 0
    print(f"{r.model}: {r.images} {r.images_are} images, observer {r.observer}")
    if r.float_accuracy is None:
        seen = ", which the quantizer calibrated on" if r.images_are == "calibration" else ""
        print(f"  no labels: how far int8 (golden) is from float on the {r.images_are} "
              f"images{seen}")
    else:
        print(f"  float accuracy   {100 * r.float_accuracy:6.2f} %")
        print(f"  int8 (golden)    {100 * r.int8_accuracy:6.2f} %")
        print(f"  drop             {r.drop_pp:6.2f} percentage points")
    print(f"  top-1 agreement  {100 * r.top1_agreement:6.2f} % of images: int8 picks float's class")
    print(f"  cosine           {r.cosine:8.4f} int8 vs float outputs, mean over the images")
    return 0


def cmd_check_golden(args) -> int:
    from . import zoo
    from .compiler import compile as compile_network
    from .reference.crosscheck import check_graph, check_random_ops
    from .textable import table
    entry = zoo.resolve(args.model)
    images = entry.first_images(args.images or min(CHECK_IMAGES, len(entry.test_images)))
    network = compile_network(entry.model, entry.calibration, args.target, args.observer, entry.name)
    layers = check_graph(network.graph, network.quantize_input(images))
    ops = check_random_ops(args.random, args.seed) if args.random else None
    if args.json:
        print(json.dumps({"model": entry.name, "layers": layers.as_dict(),
                          "random_ops": ops.as_dict() if ops else None, "seed": args.seed}, indent=2))
        return 0
    print(f"golden model vs PyTorch quantized operators, {entry.name} on "
          f"{len(images)} images (every layer fed the golden inputs)")
    print(table([[name, n, 100 * e / n, m] for name, (n, e, m) in layers.per_op.items()],
                ["layer", "elements", "exact %", "max LSB"]))
    if ops:
        print(f"\nrandom shapes and quantization parameters ({args.random} per op, seed {args.seed})")
        print(table([[name, n, 100 * e / n, m] for name, (n, e, m) in ops.per_op.items()],
                    ["op", "elements", "exact %", "max LSB"]))
    total = [layers] + ([ops] if ops else [])
    print(f"\nall: {sum(a.exact for a in total):,} of {sum(a.elements for a in total):,} elements "
          f"identical, at most {max(a.max_lsb for a in total)} LSB apart")
    return 0


def cmd_compile(args) -> int:
    from pathlib import Path

    from . import zoo
    from .compiler import compile as compile_network
    from .paths import gen_dir
    entry = zoo.resolve(args.model)
    network = compile_network(entry.model, entry.calibration, args.target, args.observer, entry.name)
    out = Path(args.output) if args.output else gen_dir() / entry.name
    files = network.write(out, reference=entry.test_images, model=args.model)  # `tessel run out` checks it
    ex = network.executable
    print(f"{entry.name} for {network.config.name}: {len(ex.layers)} hardware layers, "
          f"{ex.memory.size:,} bytes of DRAM ({len(ex.image):,} bytes of image)")
    for name, path in files.items():
        print(f"  {path}")
    return 0


def _print_rtl_run(result) -> None:
    pct = lambda v: "n/a" if v is None else f"{100 * v:.2f} %"  # noqa: E731
    where = "the RTL" if result.backend == "verilator" else "the board"
    print(f"{result.model} on {where} ({result.target}), {result.images} images")
    print(f"  output bytes equal to the golden model  {100 * result.bytes_equal_frac:.2f} %")
    print(f"  accuracy: float {pct(result.float_accuracy)}, int8 golden {pct(result.golden_accuracy)}, "
          f"RTL {pct(result.rtl_accuracy)}")
    print(f"  cycles per image {result.cycles_per_image:,.0f} "
          f"({result.ms_per_image_at_clock:.3f} ms at the configured clock), "
          f"MAC utilization {100 * result.mac_utilization:.1f} %")
    print(f"  outputs, program and report written to {result.output_dir}")


def cmd_run(args) -> int:
    from . import zoo
    from .compiler import compile as compile_network
    from .paths import gen_dir
    from .rtl_run import run_on_rtl
    options = board = None
    if args.backend == "pynq":
        from .runtime.pynq_board import BoardOptions, open_board
        if args.waves or args.stall:
            raise TesselError("--waves and --stall are options of the verilator backend")
        board = BoardOptions(**{k: v for k, v in (("bitfile", args.bitfile), ("ip", args.ip)) if v})
        open_board(board)  # a missing pynq or bitstream fails here, before any compiling
    else:
        from .runtime.simulation import SimOptions
        options = SimOptions(waves=args.waves, stall_percent=args.stall, latency=args.stall // 5)
    from .artifacts.command import is_directory, run_directory
    if is_directory(args.model):  # the files as written: no model needed, nothing recompiled
        return run_directory(args.model, args.images, args.backend, board or options,
                             args.with_model, args.observer)
    if args.with_model is not None:
        raise TesselError("--model names the model of a compiled directory: tessel run DIR "
                          "--model SPEC")
    entry = zoo.resolve(args.model)
    network = compile_network(entry.model, entry.calibration, args.target, args.observer, entry.name)
    result = run_on_rtl(network, entry, args.images, gen_dir() / entry.name, options, board,
                        args.model)
    _print_rtl_run(result)
    return 0 if result.bytes_equal_frac == 1.0 else 1


def _latency(cycles: int, clock_mhz: float) -> str:
    from .mapper.cost import milliseconds
    return f"{milliseconds(cycles, clock_mhz):.3g} ms ({cycles:,} cycles)"


def cmd_dse(args) -> int:
    from dataclasses import replace
    from pathlib import Path

    from . import zoo
    from .config import load_config, to_yaml
    from .frontend import import_model
    from .mapper.board import load_board
    from .mapper.dse import explore, refined, weight_ports_choices
    from .paths import gen_dir
    from .progress import progress
    from .textable import table
    entry = zoo.resolve(args.model)
    graph = import_model(entry.model, entry.calibration[:1], entry.name)
    board = load_board(args.board)
    out = Path(args.output) if args.output else gen_dir() / "dse" / f"{entry.name}_{board.name}.yaml"
    result = explore(graph, board, load_config(args.target), out.stem,
                     progress=lambda items: progress(items, desc="configurations", unit="config"),
                     min_utilization=args.min_utilization)
    goal = (f" at a MAC utilization of {args.min_utilization:.2f} or more"
            if args.min_utilization else "")
    best, clock = result.best, board.clock_mhz
    c = replace(best.config, part=board.part, clock_mhz=clock,
                description=f"{entry.name} on {board.name}, chosen by tessel dse{goal}")
    budget = board.budget()
    print(f"{entry.name} on {board.name}: {len(result.fitting)} configurations fit, "
          f"{result.refused} refused (over budget or a layer that cannot be tiled), "
          f"{result.seconds:.1f} s")
    print(f"  chosen (the fastest{goal}): k_p={c.array.k_p} y_p={c.array.y_p} c_p={c.array.c_p} "
          f"({c.array.macs_per_cycle} MACs/cycle), PPU {c.ppu.pixels} pixels/cycle, buffers "
          f"act {c.buffers.act_bank_words} x {c.array.act_banks} banks, weights "
          f"{c.buffers.weight_words}, output {c.buffers.out_bank_words} x {c.ppu.pixels} banks, "
          f"AXI {c.axi.data_width} bits, {c.axi.weight_ports} weight masters")
    print(f"  predicted: {_latency(best.cycles, clock)} per image at {clock:g} MHz, "
          f"MAC utilization {100 * best.utilization:.1f} % (every latency below: each layer "
          f"mapped by the cost model, as the compiler maps it)")
    print(table([[r, best.resources[r], budget[r], f"{100 * best.resources[r] / budget[r]:.0f} %"]
                 for r in budget], ["resource", "estimate", "budget", "used"]))
    orders = {}
    for plan in best.plans:
        orders[plan.order] = orders.get(plan.order, 0) + 1
    print("  per-layer mapping: " + ", ".join(f"{n} layers {o}" for o, n in orders.items()))
    print("  next fastest (the search ranks every configuration with each layer's largest "
          "tiles, then maps the best few as the chosen one):")
    for other in refined(result, args.min_utilization)[1:]:
        a = other.config.array
        print(f"    k_p={a.k_p} y_p={a.y_p} PPU {other.config.ppu.pixels}, buffers "
              f"{other.config.buffers.act_bank_words}/{other.config.buffers.weight_words}/"
              f"{other.config.buffers.out_bank_words}, {other.config.axi.weight_ports} weight "
              f"masters: {_latency(other.cycles, clock)}, MAC utilization "
              f"{100 * other.utilization:.1f} %, {other.resources['DSP48E2']} DSP")
    print(f"  weight masters (AXI read masters of their own, one HP port each): "
          f"{c.axi.weight_ports}; the same array with")
    for p in weight_ports_choices(result):
        print(f"    {p.weight_ports} weight master{'' if p.weight_ports == 1 else 's'}: "
              f"{_latency(p.cycles, clock)}, MAC utilization {100 * p.utilization:.1f} %, "
              f"{p.resources['LUT']:,} LUT{'' if p.fits else ' (over budget)'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    flag = f" --min-utilization {args.min_utilization:g}" if args.min_utilization else ""
    out.write_text(to_yaml(c, f"Generated by `tessel dse {args.model} --board {board.name}{flag}`: "
                              f"the fastest configuration for {entry.name}{goal}.\nUse it as "
                              f"--target {out} (compiler), or CONFIG={out} (make synth, FuseSoC)."))
    print(f"  configuration written to {out}")
    return 0


def cmd_report(args) -> int:
    from pathlib import Path

    from . import zoo
    from .artifacts import load
    from .artifacts.command import is_directory, model_spec
    from .artifacts.files import read_run_record
    from .compiler import compile as compile_network
    from .paths import gen_dir
    folder, stats, target, observer = Path(args.model), None, args.target, args.observer
    loaded = load(folder) if is_directory(args.model) else None  # checked as tessel.load does
    if loaded is None:
        entry = zoo.resolve(args.model)
    else:
        measured = folder / "rtl_run.json"  # what `tessel run` counted, beside the program it ran
        stats = read_run_record(measured) if measured.is_file() else None
        # The model the manifest records; written without one, a network named like a zoo model.
        zoo_name = loaded.name if loaded.name in zoo.names() else None
        entry = zoo.resolve(model_spec(loaded, loaded.model or zoo_name,
                                       "compile it with `tessel compile MODEL`, which records it"))
        observer = loaded.observer or observer
        target = target if target != "zcu104" else loaded.config  # its own
    network = compile_network(entry.model, entry.calibration, target, observer, entry.name)
    if stats is not None:
        if loaded.executable.program == network.executable.program:
            network.last_run_stats = stats
        else:
            print(f"{measured} counted another program than this compile's (another target or "
                  "an older compiler): the report has no measured cycles; `tessel run` again")
    out = Path(args.output) if args.output else \
        (folder if loaded is not None else gen_dir() / entry.name) / "report"
    path = network.report(out, dse=not args.no_dse)
    print(f"{entry.name} on {network.config.name}: report written to {path}")
    for png in sorted(path.parent.glob("*.png")):
        print(f"  {png}")
    return 0


def cmd_demo(args) -> int:
    from . import zoo
    from .compiler import compile as compile_network
    from .paths import gen_dir
    from .reference.crosscheck import check_graph
    from .rtl_run import run_on_rtl
    entry = zoo.load("digits")
    print(f"{entry.description}\n")
    network = compile_network(entry.model, entry.calibration, args.target, args.observer, entry.name)
    print(network.summary(), "\n")
    agreement = check_graph(network.graph, network.quantize_input(entry.eval_x))
    print(f"golden model vs PyTorch quantized ops, every layer: {100 * agreement.exact_frac:.3f} % of "
          f"{agreement.elements:,} elements identical, at most {agreement.max_lsb} LSB apart\n")
    result = run_on_rtl(network, entry, args.images, gen_dir() / "demo", model="digits")
    _print_rtl_run(result)
    return 0 if result.bytes_equal_frac == 1.0 else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tessel", description="Quantized PyTorch CNNs on the "
                                     "Tessel accelerator, bit-exact to an integer golden model.")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name, function, help_text, model=True):
        p = sub.add_parser(name, help=help_text, description=help_text)
        if model:
            _model_arg(p)
        p.add_argument("--target", default="zcu104", help="hardware configuration (configs/)")
        p.add_argument("--observer", default="minmax", choices=["minmax", "percentile", "mse"])
        p.set_defaults(func=function)
        return p

    command("zoo", cmd_zoo, "list the zoo models: description, input shape, whether trained",
            model=False)
    command("summary", cmd_summary, "quantize a model and print its layer table")
    command("eval", cmd_eval, "float vs int8 (golden): accuracy on held-out images, and how "
            "often int8 picks float's class (models without labels: that alone)") \
        .add_argument("--json", action="store_true")
    check = command("check-golden", cmd_check_golden,
                    "compare the golden model with PyTorch's quantized operators")
    check.add_argument("--json", action="store_true")
    check.add_argument("--images", type=cli_bounds.images, metavar="N",
                       help=f"images run through the model: 1 to the model's test images "
                       f"(default: {CHECK_IMAGES}, or all if fewer)")
    check.add_argument("--random", type=cli_bounds.count, default=40, metavar="N",
                       help="also N >= 0 random shapes per op kind (0: none)")
    check.add_argument("--seed", type=cli_bounds.seed, default=0, help="of the random shapes (>= 0)")
    command("compile", cmd_compile, "compile a model: program, DRAM image, manifest, C header, "
            "report").add_argument("-o", "--output", help="output folder (default gen/MODEL)")
    run = command("run", cmd_run, "run held-out images through the RTL (Verilator, or the board "
                  "with --backend pynq) and compare every output byte with the golden model")
    run.add_argument("--images", type=cli_bounds.images, default=20, metavar="N",
                     help="held-out images to run: 1 to what the model has (digits 360)")
    run.add_argument("--backend", choices=["verilator", "pynq"], default="verilator",
                     help="pynq: the accelerator on a ZCU104 running PYNQ (on the board)")
    run.add_argument("--bitfile", help="pynq: the bitstream, with its .hwh beside it "
                     "(default tessel.bit)")
    run.add_argument("--ip", help="pynq: the accelerator's IP name (default accel)")
    run.add_argument("--model", dest="with_model", nargs="?", const="", metavar="SPEC",
                     help="DIR only: also compare with this model's golden model (alone: the "
                     "model the manifest records)")
    run.add_argument("--waves", action="store_true", help="write an FST trace (build/sim/)")
    run.add_argument("--stall", type=cli_bounds.stall_percent, default=0, metavar="PERCENT",
                     help="random AXI backpressure in the memory model: each channel stalls "
                     f"with this chance per cycle, 0 to {cli_bounds.MAX_STALL_PERCENT}")
    dse = command("dse", cmd_dse, "design-space exploration: the fastest hardware configuration "
                  "for MODEL that fits a board, and each layer's mapping on it")
    dse.add_argument("--board", default="zcu104", help="board (configs/boards/)")
    dse.add_argument("-o", "--output", help="configuration file to write "
                     "(default gen/dse/MODEL_BOARD.yaml)")
    dse.add_argument("--min-utilization", type=cli_bounds.fraction, default=0.0, metavar="U",
                     help="the fastest configuration whose predicted MAC utilization is at "
                     "least U (0 to 1) instead of the fastest")
    report = command("report", cmd_report, "per-layer cycles, utilization and DRAM traffic, "
                     "resources against the board, sparsity and the design space: report.md "
                     "with PNG plots (MODEL, or a folder from tessel compile / tessel run, whose "
                     "measured cycles it adds)")
    report.add_argument("-o", "--output", help="output folder (default DIR/report or "
                        "gen/MODEL/report)")
    report.add_argument("--no-dse", action="store_true",
                        help="skip the design-space sweep (seconds for ResNet-50)")
    demo = command("demo", cmd_demo, "the digits network end to end: train, quantize, compile, "
                   "run real images on the RTL", model=False)
    demo.add_argument("--images", type=cli_bounds.images, default=40, metavar="N",
                      help="held-out digits run through the RTL: 1 to 360")
    return parser


def main(argv=None) -> int:
    return run_command(build_parser().parse_args(argv), "tessel")


if __name__ == "__main__":
    sys.exit(main())
