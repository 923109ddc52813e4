import sys

from . import run

if __name__ == "__main__":
    run(sys.argv[1:] or ["all"])
