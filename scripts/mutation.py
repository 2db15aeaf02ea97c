"""A small mutation tester: change one thing in a module, run the tests that reach it, repeat.

    python scripts/mutation.py govcloud/plan/verify.py [more modules…] [--tests FILE…]

For every module it

1. lists the mutants: each one small change to the module's syntax tree (see ``OPERATORS``
   below); docstrings and type annotations are never changed;
2. picks the tests that reach the module: its mirror test file (``govcloud/x/y.py`` →
   ``tests/x/test_y.py``) and every test file that imports it by name, unless ``--tests`` names
   them; runs them once unchanged under coverage (they must pass);
3. runs those tests once per mutant, in a forked child whose import of the module yields the
   mutated code, stopping at the first failure (``-x``). A mutant is *killed* when a test
   fails or the run times out, *survived* when every test passes, *uncovered* when no
   selected test runs its line (a survivor that was never even reached);
4. prints the score, killed / (mutants − known equivalents), and every survivor.

Known equivalent mutants (changes no test can see, because the program behaves the same) are
listed with the reason in ``scripts/mutation-equivalent.txt`` by their id, which names the
function and the change but no line number, so it survives edits elsewhere in the file.

Nothing is written into the source tree: mutants live only in memory of the child process.
The exit code is 0 when every module reaches ``--min-score`` (default 0, i.e. report only).
"""

from __future__ import annotations

import argparse
import ast
import importlib.abc
import importlib.util
import os
import re
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = ROOT / "scripts" / "mutation-equivalent.txt"

_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Div,
}
_NAME_SWAPS = {"all": "any", "any": "all", "min": "max", "max": "min", "True": "False", "False": "True"}

#: what the mutants change, for the report
OPERATORS = (
    "compare: == ↔ !=, < ↔ <=, > ↔ >=, in ↔ not in, is ↔ is not",
    "boolean: and ↔ or, `not x` → `x`, True ↔ False, all ↔ any",
    "arithmetic: + ↔ -, * ↔ /, // → /, % → /, and the same in augmented assignments",
    "constants: a number n → n + 1, a string s → 'XX' s 'XX', min ↔ max",
    "statements: a simple statement → pass (deletion), `return x` → `return None`",
)


@dataclass(frozen=True)
class Mutant:
    index: int
    line: int
    #: the line of the statement that holds the change, for coverage
    stmt_line: int
    ident: str
    before: str
    after: str


def _short(node: ast.AST) -> str:
    text = ast.unparse(node).replace("\n", " ")
    return text if len(text) <= 70 else text[:67] + "..."


class _Sites(ast.NodeTransformer):
    """Walks a module in a fixed order; counts mutation sites and applies the ``target``-th."""

    def __init__(self, target: int | None = None) -> None:
        self.target = target
        self.count = 0
        self.found: list[tuple[int, int, str, str, str]] = []  # line, stmt line, scope, before, after
        self.scope: list[str] = []
        self.functions = 0  # how many functions the walk is inside
        self.stmt_line = 0

    @property
    def in_function(self) -> bool:
        return self.functions > 0

    def visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.stmt):
            self.stmt_line = node.lineno  # nested statements too, for the coverage check
        return super().visit(node)

    # --- bookkeeping -------------------------------------------------------------------------
    def _site(self, node: ast.AST, replacement: ast.AST, original: ast.AST | None = None) -> ast.AST:
        index = self.count
        self.count += 1
        shown = original if original is not None else node
        self.found.append(
            (
                getattr(node, "lineno", self.stmt_line),
                self.stmt_line,
                ".".join(self.scope) or "<module>",
                _short(shown),
                _short(replacement),
            )
        )
        if index == self.target:
            return ast.copy_location(replacement, node)
        return node

    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> ast.AST:
        self.scope.append(node.name)
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        function = not isinstance(node, ast.ClassDef)
        if function:
            self._visit_defaults(node.args)
        self.functions += function
        node.body = self._body(node.body)
        self.functions -= function
        self.scope.pop()
        return node

    def _visit_defaults(self, args: ast.arguments) -> None:
        args.defaults = [self.visit(d) for d in args.defaults]
        args.kw_defaults = [d if d is None else self.visit(d) for d in args.kw_defaults]

    def _body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for i, stmt in enumerate(body):
            docstring = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            if docstring or isinstance(stmt, ast.ImportFrom | ast.Import):
                out.append(stmt)
                continue
            self.stmt_line = stmt.lineno
            new = self.visit(stmt)
            out.append(new)  # type: ignore[arg-type]
        return out

    # --- scopes and statements ---------------------------------------------------------------
    def visit_Module(self, node: ast.Module) -> ast.AST:
        node.body = self._body(node.body)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return self._scoped(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return self._scoped(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        return self._scoped(node)

    def _deletable(self, node: ast.stmt) -> ast.AST:
        replaced = self._site(node, ast.Pass())
        if replaced is not node:
            return replaced
        return self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        return self._deletable(node)

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
        if not self.in_function:
            return self.generic_visit(node)  # module constants and class attributes: values are mutated
        return self._deletable(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node  # the annotation is never evaluated (``from __future__ import annotations``)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        swap = _BINOP_SWAPS.get(type(node.op))
        if swap is not None:
            replaced = self._site(node, ast.AugAssign(node.target, swap(), node.value))
            if replaced is not node:
                return replaced
        return self._deletable(node)

    def visit_Continue(self, node: ast.Continue) -> ast.AST:
        return self._site(node, ast.Pass())

    def visit_Break(self, node: ast.Break) -> ast.AST:
        return self._site(node, ast.Pass())

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        return self._site(node, ast.Pass())

    def visit_Return(self, node: ast.Return) -> ast.AST:
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            replaced = self._site(node, ast.Return(ast.Constant(None)))
            if replaced is not node:
                return replaced
        return self.generic_visit(node)

    def visit_arguments(self, node: ast.arguments) -> ast.AST:
        self._visit_defaults(node)
        return node  # annotations of a lambda's arguments do not exist; of a def's are skipped

    # --- expressions -------------------------------------------------------------------------
    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        node = self.generic_visit(node)  # type: ignore[assignment]
        for i, op in enumerate(node.ops):
            swap = _COMPARE_SWAPS.get(type(op))
            if swap is None:
                continue
            ops = list(node.ops)
            ops[i] = swap()
            replaced = self._site(node, ast.Compare(node.left, ops, node.comparators))
            if replaced is not node:
                return replaced
        return node

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        node = self.generic_visit(node)  # type: ignore[assignment]
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        return self._site(node, ast.BoolOp(other, node.values))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        node = self.generic_visit(node)  # type: ignore[assignment]
        if isinstance(node.op, ast.Not):
            return self._site(node, node.operand, original=node)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = self.generic_visit(node)  # type: ignore[assignment]
        swap = _BINOP_SWAPS.get(type(node.op))
        if swap is None:
            return node
        return self._site(node, ast.BinOp(node.left, swap(), node.right))

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        value = node.value
        if isinstance(value, bool):
            return self._site(node, ast.Constant(not value))
        if isinstance(value, int | float):
            return self._site(node, ast.Constant(value + 1))
        if isinstance(value, str):
            return self._site(node, ast.Constant(f"XX{value}XX"))
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        # the text of an f-string is changed as a whole (its parts are not separate mutants)
        values = [self.visit(v) if isinstance(v, ast.FormattedValue) else v for v in node.values]
        node.values = values  # type: ignore[assignment]
        return self._site(node, ast.JoinedStr([ast.Constant("XX"), *node.values]))

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        node.value = self.visit(node.value)
        return node  # the format spec (``:.1f``) is not mutated

    def visit_Name(self, node: ast.Name) -> ast.AST:
        swap = _NAME_SWAPS.get(node.id)
        if swap is not None and isinstance(node.ctx, ast.Load):
            return self._site(node, ast.Name(swap, ast.Load()))
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        node.value = self.visit(node.value)
        if not _is_type_expression(node):
            node.slice = self.visit(node.slice)
        return node


def _is_type_expression(node: ast.Subscript) -> bool:
    """``dict[str, float]`` and the like, evaluated only by typing (``field(default_factory=…)`` aside)."""
    return isinstance(node.value, ast.Name) and node.value.id in {
        "dict",
        "list",
        "set",
        "tuple",
        "frozenset",
        "Callable",
        "Mapping",
        "Iterable",
        "Iterator",
        "Counter",
    }


def mutants(source: str) -> list[Mutant]:
    sites = _Sites()
    sites.visit(ast.parse(source))
    out: list[Mutant] = []
    seen: dict[str, int] = {}
    for i, (line, stmt_line, scope, before, after) in enumerate(sites.found):
        base = f"{scope}: {before} → {after}"
        seen[base] = seen.get(base, 0) + 1
        ident = base if seen[base] == 1 else f"{base} #{seen[base]}"
        out.append(Mutant(i, line, stmt_line, ident, before, after))
    return out


def mutated_code(source: str, path: str, index: int) -> Any:
    tree = ast.parse(source)
    sites = _Sites(index)
    tree = sites.visit(tree)
    ast.fix_missing_locations(tree)
    return compile(tree, path, "exec")


# --- running -----------------------------------------------------------------------------------


class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, name: str, path: Path, code: Any) -> None:
        self.name, self.path, self.code = name, path, code

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        return importlib.util.spec_from_file_location(fullname, self.path, loader=self)

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        exec(self.code, module.__dict__)  # noqa: S102 - the module's own code, mutated


def _pytest_args(tests: list[str]) -> list[str]:
    return [*tests, "-x", "-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts="]


def _quiet() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def _child_setup() -> None:
    from hypothesis import settings

    settings.register_profile("mutation", database=None, derandomize=True)
    settings.load_profile("mutation")


def _run_child(name: str, path: Path, code: Any, tests: list[str], timeout: float) -> str:
    """'killed', 'survived' or 'timeout', from a forked child running the tests on the mutant."""
    pid = os.fork()
    if pid == 0:  # child
        status = 3
        try:
            _quiet()
            _child_setup()
            sys.meta_path.insert(0, _MutantFinder(name, path, code))
            import pytest

            status = int(pytest.main(_pytest_args(tests)))
        finally:
            os._exit(status)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.02)


def _baseline(path: Path, tests: list[str]) -> tuple[set[int], float]:
    """Lines of ``path`` the tests run, and how long they take; the tests must pass unchanged."""
    read, write = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        status = 3
        try:
            _quiet()
            _child_setup()
            import coverage
            import pytest

            cov = coverage.Coverage(include=[str(path)], data_file=None, config_file=False)
            cov.start()
            status = int(pytest.main(_pytest_args(tests)))
            cov.stop()
            lines = cov.get_data().lines(str(path)) or []
            os.write(write, " ".join(map(str, sorted(lines))).encode())
        finally:
            os.close(write)
            os._exit(status)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    took = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"the tests fail before any mutation: {' '.join(tests)}")
    return {int(x) for x in b"".join(chunks).split()}, took


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


#: test files of a module that neither mirror its name nor import it by name
ALSO_TESTS = {
    "govcloud/ledger/validate.py": ["tests/ledger/test_validation_errors.py"],
}


def tests_reaching(path: Path) -> list[str]:
    """The mirror test file first (it kills most mutants soonest), then the files named in
    ``ALSO_TESTS`` and every other test file that imports the module by name."""
    name = module_name(path)
    package, _, leaf = name.rpartition(".")
    mirror = ROOT / "tests" / Path(*path.relative_to(ROOT / "govcloud").parts[:-1]) / f"test_{path.stem}.py"
    pattern = re.compile(
        rf"(^|\s)(import {re.escape(name)}\b|from {re.escape(name)} import|"
        rf"from {re.escape(package)} import [^\n]*\b{re.escape(leaf)}\b)",
        re.MULTILINE,
    )
    first = [str(mirror.relative_to(ROOT))] if mirror.exists() else []
    found = set(ALSO_TESTS.get(str(path.relative_to(ROOT)), []))
    for test in (ROOT / "tests").rglob("test_*.py"):
        if pattern.search(test.read_text(encoding="utf-8")):
            found.add(str(test.relative_to(ROOT)))
    return first + sorted(found - set(first))


def known_equivalent() -> dict[str, dict[str, str]]:
    """module → {mutant id → why it is equivalent}, from ``scripts/mutation-equivalent.txt``."""
    out: dict[str, dict[str, str]] = {}
    if not EQUIVALENT_FILE.exists():
        return out
    for raw in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        module, ident, why = (part.strip() for part in raw.split(" | ", 2))
        out.setdefault(module, {})[ident] = why
    return out


def run_module(path: Path, tests: list[str] | None, timeout_factor: float, verbose: bool) -> float:
    source = path.read_text(encoding="utf-8")
    name = module_name(path)
    tests = tests or tests_reaching(path)
    if not tests:
        sys.exit(f"no tests reach {name}: pass them with --tests")
    found = mutants(source)
    print(f"\n== {name}: {len(found)} mutants; tests: {' '.join(tests)}", flush=True)
    covered, took = _baseline(path, tests)
    timeout = max(60.0, took * timeout_factor)  # a busy machine slows even a sound run
    print(
        f"   the tests pass unchanged in {took:.1f} s; a mutant run stops after {timeout:.0f} s", flush=True
    )
    equivalent = known_equivalent().get(str(path.relative_to(ROOT)), {})
    results: dict[str, list[Mutant]] = {"killed": [], "timeout": [], "survived": [], "uncovered": []}
    skipped: list[Mutant] = []
    for m in found:
        if m.ident in equivalent:
            skipped.append(m)
            continue
        if m.stmt_line not in covered and m.line not in covered:
            results["uncovered"].append(m)
            continue
        outcome = _run_child(name, path, mutated_code(source, str(path), m.index), tests, timeout)
        results[outcome].append(m)
        if verbose:
            print(f"   {outcome:9} {m.line:4}  {m.ident}", flush=True)
    killed = len(results["killed"]) + len(results["timeout"])
    counted = len(found) - len(skipped)
    score = 100.0 * killed / counted if counted else 100.0
    stale = sorted(set(equivalent) - {m.ident for m in found})
    print(
        f"   {name}: {len(found)} mutants, {len(skipped)} known equivalent, {killed} killed "
        f"({len(results['timeout'])} by timeout), {len(results['survived'])} survived, "
        f"{len(results['uncovered'])} never reached"
    )
    print(f"   SCORE {name}: {score:.1f} % ({killed}/{counted})")
    for kind in ("survived", "uncovered"):
        for m in results[kind]:
            print(f"   {kind:9} line {m.line:4}  {m.ident}")
    for m in skipped:
        print(f"   equivalent line {m.line:4}  {m.ident}  ({equivalent[m.ident]})")
    for ident in stale:
        print(f"   warning: listed as equivalent but no longer a mutant: {ident}")
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("modules", nargs="+", help="module files (govcloud/x/y.py) or dotted names")
    parser.add_argument("--tests", nargs="+", help="test files to run instead of those found")
    parser.add_argument("--timeout-factor", type=float, default=5.0, help="times the unchanged run")
    parser.add_argument("--min-score", type=float, default=0.0, help="fail below this score (percent)")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mutant's outcome")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    for module in args.modules:
        path = Path(module) if module.endswith(".py") else Path(*module.split(".")).with_suffix(".py")
        path = (ROOT / path).resolve()
        if not path.is_file():
            parser.error(f"no such module: {module}")
        if args.list:
            for m in mutants(path.read_text(encoding="utf-8")):
                print(f"{path.relative_to(ROOT)}:{m.line}  {m.ident}")
            continue
        # heavy imports once, before forking, so each mutant's run starts warm
        for warm in ("pytest", "hypothesis", "networkx", "yaml", "jsonschema", "rich", "click"):
            __import__(warm)
        if any(n == "govcloud" or n.startswith("govcloud.") for n in sys.modules):
            sys.exit("govcloud was imported before forking; mutants would not load")
        scores = run_module(path, args.tests, args.timeout_factor, args.verbose)
        if scores < args.min_score:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
