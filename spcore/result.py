"""The result every engine (golden model, RTL) returns for one program run."""
import json
from dataclasses import asdict, dataclass, field


@dataclass
class RunResult:
    status: str                     # pass | fail | timeout | error
    exit_code: int | None = None    # the program's exit code (tohost or sim-exit)
    instret: int = 0
    cycles: int = 0
    console: str = ""
    last_pcs: list = field(default_factory=list)
    message: str = ""               # why a run failed, in one line
    extra: dict = field(default_factory=dict)   # engine specifics: cpi, stalls, end ...

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def summary(self) -> dict:
        d = {"result": self.status, "exit_code": self.exit_code,
             "instret": self.instret, "cycles": self.cycles}
        if self.message:
            d["message"] = self.message
        d.update(self.extra)
        return d

    def to_json(self) -> str:
        return json.dumps(self.summary())

    def as_dict(self) -> dict:
        return asdict(self)
