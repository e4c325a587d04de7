// The fixed part of every exported PyTorch script: the simulated GradScaler, the per-step log and
// the table printer. Each is the Python twin of a TypeScript file here (scaler.ts, interpreter.ts's
// measurements, table.ts); test/lab/pytorch-roundtrip.test.ts runs both and compares the tables.
import { DOUBLE_UNSCALE_MESSAGE, FLOAT16_MAX } from './scaler';

const pyString = (s: string) => JSON.stringify(s);

/** The simulated GradScaler (only in scripts whose experiment scales the loss). */
export const PY_SCALER = `
class DoubleUnscaleError(RuntimeError):
    pass


class SimulatedGradScaler:
    """torch.cuda.amp.GradScaler's semantics, simulated: the real one needs CUDA.

    scale(loss) multiplies by the scale; unscale_(optimizer) divides the gradients by it (once per
    step: a second call raises, as in PyTorch) and notes inf/NaN; step(optimizer) unscales if
    needed and skips optimizer.step() when a gradient is inf/NaN; update() multiplies the scale by
    backoff_factor after a skipped step and by growth_factor after growth_interval clean steps.
    The scale is a float32 value, as GradScaler keeps it.

    This script computes in float64, where scaled gradients never overflow; with
    float16_overflow=True, watch(model) makes each backward's gradient contribution beyond
    float16's range (+-${FLOAT16_MAX}) inf, as a float16 backward would.
    """

    def __init__(self, init_scale, growth_factor, backoff_factor, growth_interval, float16_overflow):
        self._scale = _float32(init_scale)
        self._growth_factor = growth_factor
        self._backoff_factor = backoff_factor
        self._growth_interval = growth_interval
        self._float16_overflow = float16_overflow
        self._growth_tracker = 0
        self._unscaled = False
        self._found_inf = False
        self.last_step_skipped = False

    def watch(self, model):
        if not self._float16_overflow:
            return
        for p in model.parameters():
            p.register_hook(lambda g: torch.where(g.abs() > ${FLOAT16_MAX}, g.sign() * math.inf, g))

    def scale(self, loss):
        return loss * self._scale

    def get_scale(self):
        return self._scale

    def unscale_(self, optimizer):
        if self._unscaled:
            raise DoubleUnscaleError("unscale_() has already been called on this optimizer since the last update().")
        inv_scale = _float32(1.0 / self._scale)
        found_inf = False
        with torch.no_grad():
            for group in optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if not bool(torch.isfinite(p.grad).all()):
                        found_inf = True
                    p.grad.mul_(inv_scale)
        self._found_inf = found_inf
        self._unscaled = True

    def step(self, optimizer):
        if not self._unscaled:
            self.unscale_(optimizer)
        self.last_step_skipped = self._found_inf
        if not self._found_inf:
            optimizer.step()

    def update(self):
        if self._found_inf:
            self._scale = _float32(self._scale * self._backoff_factor)
            self._growth_tracker = 0
        elif self._growth_tracker + 1 == self._growth_interval:
            grown = _float32(self._scale * self._growth_factor)
            if math.isfinite(grown):
                self._scale = grown
            self._growth_tracker = 0
        else:
            self._growth_tracker += 1
        self._unscaled = False
        self._found_inf = False


DOUBLE_UNSCALE = ${pyString(DOUBLE_UNSCALE_MESSAGE)}
`;

/** Measurements and the table: the same numbers in the same layout as \`clipwise lab run\`. */
export const PY_LOG_AND_TABLE = `
def _float32(value):
    return torch.tensor(value, dtype=torch.float32).item()


def grad_norm(params, norm_type):
    """The total norm of the gradients, as clip_grad_norm_ measures it."""
    grads = [p.grad.detach() for p in params if p.grad is not None]
    if not grads:
        return 0.0
    if norm_type == math.inf:
        return torch.stack([g.abs().max() for g in grads]).max().item()
    return torch.norm(torch.stack([torch.norm(g, norm_type) for g in grads]), norm_type).item()


class RunLog:
    """What the Lab records per step: loss, norm before and after clipping, update size, layer norms."""

    def __init__(self, label, model, norm_type, scaler=None):
        self.label = label
        self.records = []
        self.diverged = None
        self.scaled = scaler is not None
        self._model = model
        self._named = dict(model.named_parameters())
        self._norm_type = norm_type

    def begin(self, step, scaler=None):
        self._step = step + 1
        self._before = [p.detach().clone() for p in self._model.parameters()]
        self._losses = []
        self._clips = []
        self._stepped = False
        self._step_norm = 0.0
        self._layer_norms = [0.0 for _ in LAYERS]
        self._skipped = False
        self._loss_scale = scaler.get_scale() if scaler is not None else None

    def forward(self, loss):
        self._losses.append(loss.item())

    def clipped(self, total_norm):
        self._clips.append((float(total_norm), self._stepped))

    def stepped(self, scaler=None):
        """After optimizer.step() (or scaler.step + update): the gradients as the step saw them."""
        params = list(self._model.parameters())
        self._step_norm = grad_norm(params, self._norm_type)
        self._layer_norms = [grad_norm([self._named[n] for n in names], self._norm_type) for _, names in LAYERS]
        if scaler is not None and scaler.last_step_skipped:
            self._skipped = True
        self._stepped = True

    def stop(self, reason):
        self.diverged = {"step": self._step, "reason": reason, "kind": "error"}

    def end(self):
        """Records the step; False once the run cannot go on (inf/NaN loss or parameters)."""
        before_step = [c for c in self._clips if not c[1]]
        sighting = before_step[-1] if before_step else (self._clips[0] if self._clips else None)
        params = list(self._model.parameters())
        update = math.sqrt(sum(float(((p.detach() - b) ** 2).sum()) for p, b in zip(params, self._before)))
        loss = sum(self._losses) / len(self._losses)
        record = {
            "step": self._step,
            "loss": loss,
            "normBefore": sighting[0] if sighting is not None else self._step_norm,
            "normAfter": self._step_norm,
            "updateSize": update,
            "layerNorms": self._layer_norms,
        }
        if self.scaled:
            record["lossScale"] = self._loss_scale
            record["stepSkipped"] = self._skipped
        self.records.append(record)
        reason = None
        if math.isnan(loss):
            reason = "the loss became NaN"
        elif math.isinf(loss):
            reason = "the loss became inf"
        elif not all(bool(torch.isfinite(p).all()) for p in params):
            reason = "the parameters became inf or NaN"
        if reason is not None:
            self.diverged = {"step": self._step, "reason": reason, "kind": "nonfinite"}
            return False
        return True


def format_number(value, digits):
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return "%.*e" % (digits, value + 0.0)


def _run_columns(run, prefix, digits, flag, names):
    def name(text, csv):
        return prefix.upper() + " " + text if names == "text" else prefix + "_" + csv

    def num(key):
        return lambda r: format_number(r[key], digits)

    columns = [
        (name("loss", "loss"), num("loss")),
        (name("norm before", "norm_before"), num("normBefore")),
        (name("norm after", "norm_after"), num("normAfter")),
        (name("update", "update_size"), num("updateSize")),
    ]
    if run.scaled:
        columns.append((name("scale", "loss_scale"), num("lossScale")))
        columns.append((name("skipped", "step_skipped"), lambda r: flag(r["stepSkipped"])))
    return columns


def _row(run, i):
    return run.records[i] if i < len(run.records) else None


def format_text(title, a, b):
    lines = []
    if title:
        lines.append("# " + title)
    lines.append("# A: " + a.label)
    lines.append("# B: " + b.label)
    flag = lambda v: "yes" if v else "no"
    ca = _run_columns(a, "a", 5, flag, "text")
    cb = _run_columns(b, "b", 5, flag, "text")
    lines.append("  ".join([" step"] + [h.rjust(13) for h, _ in ca + cb]))
    for i in range(max(len(a.records), len(b.records))):
        ra, rb = _row(a, i), _row(b, i)
        cells = [str(i + 1).rjust(5)]
        cells += [(cell(ra) if ra is not None else "").rjust(13) for _, cell in ca]
        cells += [(cell(rb) if rb is not None else "").rjust(13) for _, cell in cb]
        lines.append("  ".join(cells).rstrip())
    for name, run in (("A", a), ("B", b)):
        if run.diverged is not None:
            lines.append("# %s stopped at step %d: %s" % (name, run.diverged["step"], run.diverged["reason"]))
    return "\\n".join(lines) + "\\n"


def format_csv(a, b):
    flag = lambda v: "1" if v else "0"
    ca = _run_columns(a, "a", 8, flag, "csv")
    cb = _run_columns(b, "b", 8, flag, "csv")
    lines = [",".join(["step"] + [h for h, _ in ca] + [h for h, _ in cb])]
    for i in range(max(len(a.records), len(b.records))):
        ra, rb = _row(a, i), _row(b, i)
        cells = [str(i + 1)]
        cells += [cell(ra) if ra is not None else "" for _, cell in ca]
        cells += [cell(rb) if rb is not None else "" for _, cell in cb]
        lines.append(",".join(cells))
    return "\\n".join(lines) + "\\n"


def _json_number(value):
    if math.isnan(value):
        return '"NaN"'
    if math.isinf(value):
        return '"Infinity"' if value > 0 else '"-Infinity"'
    return format_number(value, 8)


def _json_step(r, scaled):
    parts = [
        '"step": %d' % r["step"],
        '"loss": ' + _json_number(r["loss"]),
        '"normBefore": ' + _json_number(r["normBefore"]),
        '"normAfter": ' + _json_number(r["normAfter"]),
        '"updateSize": ' + _json_number(r["updateSize"]),
        '"layerNorms": [' + ", ".join(_json_number(v) for v in r["layerNorms"]) + "]",
    ]
    if scaled:
        parts.append('"lossScale": ' + _json_number(r["lossScale"]))
        parts.append('"stepSkipped": ' + ("true" if r["stepSkipped"] else "false"))
    return "{" + ", ".join(parts) + "}"


def _json_run(run):
    d = run.diverged
    diverged = "null" if d is None else '{"step": %d, "reason": %s, "kind": %s}' % (d["step"], json.dumps(d["reason"], ensure_ascii=False), json.dumps(d["kind"]))
    lines = ["{", '    "label": %s,' % json.dumps(run.label, ensure_ascii=False), '    "diverged": %s,' % diverged]
    if run.records:
        steps = ",\\n".join("      " + _json_step(r, run.scaled) for r in run.records)
        lines.append('    "steps": [\\n' + steps + "\\n    ]")
    else:
        lines.append('    "steps": []')
    lines.append("  }")
    return "\\n".join(lines)


def format_json(title, a, b):
    lines = ["{"]
    if title:
        lines.append('  "title": %s,' % json.dumps(title, ensure_ascii=False))
    lines.append('  "layers": [' + ", ".join(json.dumps(name, ensure_ascii=False) for name, _ in LAYERS) + "],")
    lines.append('  "a": ' + _json_run(a) + ",")
    lines.append('  "b": ' + _json_run(b))
    lines.append("}")
    return "\\n".join(lines) + "\\n"
`;
