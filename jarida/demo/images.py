"""Procedural flat-style illustrations for the demo content.

Every motif is drawn with ImageDraw primitives on a canvas twice the requested size and then
halved, which smooths the edges. Nothing is read from disk, so the pictures are ours to publish,
and the same motif and seed always give the same JPEG bytes.
"""

import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

MOTIFS: tuple[str, ...] = (
    "river", "city", "market", "stadium", "desert", "oilfield",
    "palms", "books", "stage", "circuit", "solar", "sea",
)  # fmt: skip

Color = tuple[int, ...]
Draw = ImageDraw.ImageDraw
Img = Image.Image
Rng = random.Random
SCALE = 2  # supersampling factor
SKIES: dict[str, tuple[Color, Color]] = {
    "day": ((70, 132, 192), (206, 228, 240)),
    "warm": ((104, 150, 190), (248, 214, 168)),
    "dusk": ((46, 48, 98), (246, 150, 88)),
    "night": ((12, 18, 42), (48, 58, 100)),
}
WHITE, BLACK, SUN = (255, 255, 255), (0, 0, 0), (255, 234, 186)
INK, GOLD = (40, 36, 44), (214, 170, 80)
FRUIT = [(240, 138, 38), (214, 56, 44), (246, 208, 62), (96, 48, 98), (112, 168, 62)]
AWNINGS = [(196, 56, 48), (38, 102, 140), (40, 124, 92), (222, 150, 40)]
TEAMS = [(200, 40, 44), (240, 240, 236), (30, 80, 170), (246, 200, 40), (30, 130, 70)]
CARGO = [(180, 60, 50), (50, 90, 140), (220, 160, 60), (70, 120, 80), (200, 200, 196)]
CRANES = [(196, 72, 52), INK]
SPINES = [(128, 36, 40), (30, 58, 96), (36, 92, 70), (212, 164, 60), (226, 214, 186),
          (44, 120, 134), (150, 82, 44), (84, 50, 90), (190, 90, 60)]  # fmt: skip
BOARDS = [((22, 92, 60), (200, 168, 90)), ((20, 42, 78), (176, 188, 200)), (INK, (204, 150, 80))]
# A pumpjack's walking beam and horse head, in beam units: u along the beam, v downwards.
BEAM = [(0.45, -0.03), (-0.6, -0.03), (-0.6, -0.06), (-0.67, 0.05), (-0.66, 0.22), (-0.58, 0.24),
        (-0.5, 0.03), (0.45, 0.03)]  # fmt: skip
# A teardrop flame, tip up: (across, down) offsets in units of its radius.
DROP = [(math.sin(a) * math.sin(a / 2) * 0.7, math.cos(a))
        for a in (i * math.pi / 12 for i in range(25))]  # fmt: skip


def _mix(a: Color, b: Color, t: float) -> Color:
    """Blend colour `a` towards `b` by `t` (0..1)."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a[:3], b[:3], strict=True))


def _vary(rng: Rng, color: Color, amount: int = 14) -> Color:
    """Nudge each channel of a colour by up to `amount`."""
    return tuple(min(255, max(0, c + rng.randint(-amount, amount))) for c in color)


def _circle(x: float, y: float, r: float) -> tuple[float, float, float, float]:
    """Bounding box of a circle."""
    return (x - r, y - r, x + r, y + r)


def _width(size: float) -> int:
    """A line width of `size` pixels, never thinner than one pixel."""
    return max(1, int(size))


def _steps(n: int) -> list[float]:
    """n + 1 evenly spaced values from 0 to 1."""
    return [i / n for i in range(n + 1)]


def _band(img: Img, y0: float, y1: float, top: Color, bottom: Color, mask: Img | None = None):
    """Fill rows y0..y1 with a vertical gradient from `top` to `bottom`, optionally masked."""
    size = (img.width, max(1, int(y1) - int(y0)))
    grad = Image.new("RGB", size, top)
    grad.paste(bottom, (0, 0, *size), Image.linear_gradient("L").resize(size))
    img.paste(grad, (0, int(y0)), mask and mask.crop((0, int(y0), size[0], int(y0) + size[1])))


def _sun(draw: Draw, x: float, y: float, r: float, color: Color = SUN) -> None:
    """A flat disc with soft translucent halo rings."""
    for k, alpha in ((2.6, 22), (1.8, 40), (1.3, 70)):
        draw.ellipse(_circle(x, y, r * k), fill=(*color, alpha))
    draw.ellipse(_circle(x, y, r), fill=color)


def _quad(corners, u: float, v: float) -> tuple[float, float]:
    """The point u across and v down a quadrilateral given clockwise from its top left."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = corners
    top, bottom = (ax + (bx - ax) * u, ay + (by - ay) * u), (dx + (cx - dx) * u, dy + (cy - dy) * u)
    return (top[0] + (bottom[0] - top[0]) * v, top[1] + (bottom[1] - top[1]) * v)


def _landscape(img: Img, draw: Draw, rng: Rng, hz: float, kinds: tuple[str, ...], *ground) -> str:
    """Sky of a random kind above `hz`, sun, clouds by day; hills and ground if colours given."""
    (w, h), kind = img.size, rng.choice(kinds)
    _band(img, 0, hz, _vary(rng, SKIES[kind][0], 10), _vary(rng, SKIES[kind][1], 10))
    _sun(draw, w * rng.uniform(0.12, 0.88), hz * rng.uniform(0.3, 0.8), h * 0.055)
    for _ in range(rng.randint(2, 4) if kind == "day" else 0):  # flat-bottomed clouds
        x, y, r = rng.uniform(0, w), rng.uniform(h * 0.08, hz * 0.6), w * rng.uniform(0.02, 0.035)
        for dx, dy, k in ((-1.2, 0.2, 0.7), (0, 0, 1), (1.1, 0.15, 0.8), (2, 0.3, 0.55)):
            draw.pieslice(_circle(x + dx * r, y + dy * r, r * k), 180, 360, fill=(*WHITE, 170))
    if ground:  # a line of low hills, then the ground as a gradient
        phases, hills = [rng.uniform(0, math.tau) for _ in range(3)], [(0, h)]
        for t in _steps(60):
            s = sum(math.sin(t * math.tau * (k + 1) + p) / (k + 1) for k, p in enumerate(phases))
            hills.append((w * t, hz - h * 0.015 * (1 + s / 1.84)))
        draw.polygon([*hills, (w, h)], fill=_mix(SKIES[kind][1], (70, 90, 70), 0.4))
        near, far = (_mix(_vary(rng, c), SKIES[kind][0], 0.2) for c in ground)  # sky-tinted
        _band(img, hz, h, near, far)
    return kind


def _palm(draw: Draw, rng: Rng, x: float, base: float, height: float, color: Color, dates=None):
    """A date palm: a slightly leaning, tapering trunk under a crown of feathery fronds."""
    lean, half = rng.uniform(-0.08, 0.08) * height, height * 0.024
    trunk = [(x + lean * t * t, base - height * t, half * (1.25 - 0.35 * t)) for t in _steps(10)]
    left, right = [(px - r, py) for px, py, r in trunk], [(px + r, py) for px, py, r in trunk]
    draw.polygon(left + right[::-1], fill=color)
    (sx, sy), count = trunk[-1][:2], rng.randint(14, 18)
    for i in range(count):  # each frond: a drooping spine feathered with V-shaped leaflets
        angle = math.pi * (0.8 + 1.4 * (i + rng.uniform(-0.3, 0.3)) / (count - 1))
        length, n = height * rng.uniform(0.3, 0.38), max(6, min(24, int(height / 24)))
        ca, sa = math.cos(angle) * length, math.sin(angle) * length
        spine = [(sx + ca * t, sy + (sa + 0.6 * length * t) * t) for t in _steps(n)]
        draw.line(spine, fill=color, width=_width(length * 0.03), joint="curve")
        for k in range(3, n + 1):
            (px, py), (qx, qy), r = spine[k - 1], spine[k], length * 0.2 * (1.1 - 0.8 * k / n)
            d = math.hypot(qx - px, qy - py) or 1
            ux, uy = (qx - px) / d * r, (qy - py) / d * r
            fx, fy = qx + ux * 0.8, qy + uy * 0.8 + r / 2
            leaflets = [(fx + uy * 0.6, fy - ux * 0.6), (qx, qy), (fx - uy * 0.6, fy + ux * 0.6)]
            draw.line(leaflets, fill=color, width=_width(length * 0.5 / n))
    for _ in range(18 if dates else 0):  # two clusters of dates under the crown
        px = sx + height * (rng.choice((-0.04, 0.04)) + rng.uniform(-0.02, 0.02))
        py = sy + height * rng.uniform(0.035, 0.085)
        draw.ellipse(_circle(px, py, height * 0.01), fill=_vary(rng, dates, 12))


def _river(img: Img, draw: Draw, rng: Rng) -> None:
    """A river winding between green banks, with glints on the water and palms on the shore."""
    w, h = img.size
    hz = int(h * rng.uniform(0.36, 0.44))
    kind = _landscape(img, draw, rng, hz, ("day", "warm", "dusk"), (132, 156, 88), (70, 106, 52))
    haze, phase, bend = _mix(SKIES[kind][1], (50, 80, 56), 0.5), rng.uniform(0, 7), rng.random()
    for _ in range(int(w / h * 10)):  # a distant line of palms
        _palm(draw, rng, rng.uniform(0, w), hz - h * 0.01, h * rng.uniform(0.05, 0.09), haze)

    def edge(t: float, side: int, bank: float = 0.0) -> tuple[float, float]:
        cx = w * (0.5 + (0.12 + bend * 0.08) * math.sin(phase + 3.4 * t) * (0.25 + t))
        return (cx + side * (w * (0.012 + 0.3 * t**1.6) + bank * t), hz + (h - hz) * t)

    def outline(bank: float) -> list[tuple[float, float]]:
        return [edge(t, -1, bank) for t in _steps(40)] + [edge(1 - t, 1, bank) for t in _steps(40)]

    draw.polygon(outline(h * 0.06), fill=_vary(rng, (176, 156, 108)))  # muddy banks
    mask = Image.new("L", img.size)
    ImageDraw.Draw(mask).polygon(outline(0), fill=255)
    _band(img, hz, h, _mix(SKIES[kind][1], WHITE, 0.2), _vary(rng, (44, 96, 132)), mask)
    for t in (rng.uniform(0.02, 1) for _ in range(50)):  # glints on the water
        (x0, y), (x1, _) = edge(t, -1), edge(t, 1)
        x, span = rng.uniform(x0, x1), (x1 - x0) * rng.uniform(0.05, 0.15)
        glint = (max(x0, x - span), y, min(x1, x + span), y)
        draw.line(glint, fill=(*WHITE, 80), width=_width(h * 0.006 * t))
    for t in sorted(rng.uniform(0.15, 0.75) for _ in range(rng.randint(4, 7))):
        side, color = rng.choice((-1, 1)), _vary(rng, (34, 62, 38), 8)
        x = edge(t, side, h * 0.06)[0] + side * w * rng.uniform(0.03, 0.2)
        _palm(draw, rng, x, hz + (h - hz) * t, h * (0.15 + 0.6 * t), color)


def _city(img: Img, draw: Draw, rng: Rng) -> None:
    """A waterfront skyline: blocks with lit windows, domes and minarets, mirrored below."""
    (w, h), lit, ground = img.size, (252, 212, 124), int(img.height * 0.82)
    kind = _landscape(img, draw, rng, ground, ("dusk", "night", "warm"))
    for layer, base in enumerate((_mix(*SKIES[kind], 0.55), _mix(SKIES[kind][0], (8, 8, 18), 0.6))):
        x = -rng.uniform(0, w * 0.05)
        while x < w:
            bw, color, roll = w * rng.uniform(0.04, 0.1), _vary(rng, base, 6), rng.random()
            top = ground - h * rng.uniform(0.15, 0.55 - 0.15 * layer)
            draw.rectangle((x, top, x + bw, ground), fill=color)
            if roll < 0.22:  # an onion dome on a drum, sometimes tiled or gilded
                cx, r = x + bw / 2, bw * 0.38
                dome = rng.choice((color, (54, 140, 148), (206, 164, 76))) if layer else color
                draw.rectangle((cx - r * 0.8, top - r * 0.4, cx + r * 0.8, top), fill=color)
                draw.ellipse((cx - r, top - r * 2.1, cx + r, top - r * 0.1), fill=dome)
                draw.line((cx, top - r * 2.1, cx, top - r * 2.6), fill=dome, width=_width(r / 8))
            elif roll < 0.36:  # a minaret with a balcony and a pointed cap
                mx, mw, mt = x + bw * 0.8, bw * 0.12, top - h * rng.uniform(0.1, 0.2)
                draw.rectangle((mx - mw, mt, mx + mw, top), fill=color)
                draw.rectangle((mx - mw * 2, mt + h * 0.03, mx + mw * 2, mt + h * 0.04), fill=color)
                draw.polygon([(mx - mw, mt), (mx, mt - h * 0.05), (mx + mw, mt)], fill=color)
            cols, y = rng.randint(2, 4), top
            pane = bw / (2 * cols + 1)
            while layer and (y := y + pane * 2.4) + pane * 2.5 < ground:
                for wx in (x + pane * (2 * c + 1) for c in range(cols)):
                    fill = lit if rng.random() < 0.35 else _mix(color, BLACK, 0.3)
                    draw.rectangle((wx, y, wx + pane, y + pane * 1.4), fill=fill)
            x += bw + w * rng.uniform(0, 0.012)
    _band(img, ground, h, _mix(SKIES[kind][0], BLACK, 0.5), (10, 14, 28))
    for _ in range(70):  # reflections of the lit windows
        x, y = rng.uniform(0, w), rng.uniform(ground + h * 0.01, h)
        span, alpha = w * rng.uniform(0.005, 0.03), rng.randint(60, 140)
        draw.line((x, y, x + span, y), fill=(*lit, alpha), width=_width(h * 0.004))


def _market(img: Img, draw: Draw, rng: Rng) -> None:
    """Market stalls: striped, scalloped awnings over counters heaped with crates of produce."""
    (w, h), stalls, line = img.size, rng.randint(3, 4), _width(img.height * 0.004)
    floor, eave, wall, wood = h * 0.84, h * 0.34, _vary(rng, (226, 196, 150)), (140, 96, 58)
    frame = _mix(wood, BLACK, 0.3)
    _band(img, 0, floor, _mix(wall, WHITE, 0.2), _mix(wall, BLACK, 0.2))
    _band(img, floor, h, (150, 120, 90), (110, 84, 62))
    for x0, x1 in ((w * (i + 0.05) / stalls, w * (i + 0.95) / stalls) for i in range(stalls)):
        top, counter = h * rng.uniform(0.06, 0.12), h * rng.uniform(0.6, 0.66)
        inset, stripe = (x1 - x0) * 0.07, _vary(rng, rng.choice(AWNINGS))
        for post in (x0, x1 - w * 0.008):
            draw.rectangle((post, eave, post + w * 0.008, floor), fill=frame)
        awning = [(x0 + inset, top), (x1 - inset, top), (x1 + inset, eave), (x0 - inset, eave)]
        for j in range(8):  # stripes, each ending in a scallop
            corners = [_quad(awning, u / 8, v) for u, v in ((j, 0), (j + 1, 0), (j + 1, 1), (j, 1))]
            (b, y), (a, _), fill = corners[2], corners[3], stripe if j % 2 else (246, 236, 214)
            draw.polygon(corners, fill=fill)
            draw.pieslice((a, y - (b - a) / 2, b, y + (b - a) / 2), 0, 180, fill=fill)
        draw.rectangle((x0, counter, x1, floor), fill=wood, outline=frame, width=line)
        crates = rng.randint(2, 3)
        for c in range(crates):  # a crate under a heap of fruit, each with a small highlight
            cx0, cx1 = (x0 + (x1 - x0) * (c + k) / crates for k in (0.06, 0.94))
            color, r, ch = rng.choice(FRUIT), (cx1 - cx0) / 12, h * 0.07
            for row, m in [(i, m) for i in range(3) for m in range(6 - i)]:
                px = cx0 + r * (6 + (m - 2.5 + row / 2) * 1.9 + rng.uniform(-0.15, 0.15))
                py = counter - ch - r * (0.2 + 1.6 * row)
                draw.ellipse(_circle(px, py, r), fill=_vary(rng, color, 16))
                draw.ellipse(_circle(px - r * 0.35, py - r * 0.35, r * 0.25), fill=(*WHITE, 90))
            crate = _vary(rng, (196, 150, 96), 10)
            draw.rectangle((cx0, counter - ch, cx1, counter), fill=crate, outline=wood, width=line)


def _stadium(img: Img, draw: Draw, rng: Rng) -> None:
    """A floodlit stadium: stands dotted with the crowd, light towers and a mown pitch."""
    (w, h), dark, seats, teams = img.size, (26, 28, 36), (38, 42, 54), rng.sample(TEAMS, 2)
    roof, pitch, step = h * rng.uniform(0.2, 0.24), h * 0.58, h * 0.016
    _band(img, 0, pitch, *SKIES[rng.choice(("night", "dusk"))])
    draw.rectangle((0, roof, w, pitch), fill=seats)
    crowd = [*teams, *teams, (226, 210, 190), (70, 70, 84)]
    for row in range(int((pitch - roof - h * 0.1) / step)):
        for col in range(int(w / step) + 1):
            x, y = (col + rng.uniform(0.3, 0.7)) * step, roof + h * 0.07 + row * step
            draw.ellipse(_circle(x, y, step * 0.36), fill=rng.choice(crowd))
    for x in (w * k / 7 for k in range(1, 7)):  # aisles between the blocks of seats
        draw.rectangle((x - step * 0.6, roof, x + step * 0.6, pitch), fill=seats)
    draw.rectangle((0, roof - h * 0.02, w, roof + h * 0.045), fill=dark)
    for i in range(9):  # advertising boards
        board = teams[i % 2] if i % 3 else WHITE
        draw.rectangle((i * w / 9, pitch - h * 0.035, (i + 1) * w / 9, pitch), fill=board)
    for i in range(-10, 10):  # mown stripes, narrowing towards the far touchline
        a, b = ((w / 2 + k * w / 16, w / 2 + k * w / 6) for k in (i, i + 1))
        stripe = [(a[0], pitch), (b[0], pitch), (b[1], h), (a[1], h)]
        draw.polygon(stripe, fill=(66, 150, 70) if i % 2 else (56, 136, 62))
    lw, chalk, mid = _width(h * 0.006), (236, 240, 232), pitch + (h - pitch) * 0.55
    draw.line((0, pitch + h * 0.03, w, pitch + h * 0.03), fill=chalk, width=lw)
    draw.line((w / 2, pitch + h * 0.03, w / 2, h), fill=chalk, width=lw)
    draw.ellipse((w * 0.36, mid - h * 0.09, w * 0.64, mid + h * 0.09), outline=chalk, width=lw)
    for x, head in ((w * 0.08, roof - h * 0.1), (w * 0.92, roof - h * 0.1)):  # floodlights
        draw.line((x, head, x, roof), fill=dark, width=_width(w * 0.012))
        for k in range(8, 1, -1):
            draw.ellipse(_circle(x, head, h * 0.025 * k), fill=(255, 250, 220, 14))
        draw.rectangle((x - w * 0.04, head - h * 0.035, x + w * 0.04, head + h * 0.02), fill=dark)
        for c in range(10):
            lamp = (x + (c % 5 - 2) * w * 0.015, head - h * 0.02 + c // 5 * h * 0.025)
            draw.ellipse(_circle(*lamp, h * 0.009), fill=(255, 252, 236))


def _desert(img: Img, draw: Draw, rng: Rng) -> None:
    """Layered dunes under a big sun, each crest throwing a crescent of shadow."""
    (w, h), flip = img.size, rng.choice((-1, 1))
    hz = h * rng.uniform(0.42, 0.52)
    kind, sand = _landscape(img, draw, rng, hz + h * 0.15, ("warm", "dusk", "day")), (228, 168, 100)
    for t in _steps(3):
        base, amp, ph = hz + (h - hz) * (0.1 + 0.62 * t), h * (0.06 + 0.12 * t), rng.uniform(0, 9)
        freq = rng.uniform(1.0, 1.5) / (1 + 0.6 * t)
        lit = _mix(_mix(_vary(rng, sand, 8), SKIES[kind][1], 0.55 * (1 - t)), (214, 130, 70), t / 4)
        crest, edge = [(-w, h)], [(-w, h)]
        for x in (w * (s * 1.02 - 0.01) for s in _steps(240)):
            u = x / w * math.tau * freq + ph
            y = base - amp * ((1 - abs(math.sin(u))) ** 1.5 * 0.75 + 0.25 * math.sin(u * 0.43 + ph))
            phi = (flip * u) % math.pi  # position within one dune, measured from its crest
            crest.append((x, y))
            edge.append((x, y + (amp * 0.5 * math.sin(phi / 0.7) if phi < 0.7 * math.pi else 0)))
        draw.polygon([*crest, (2 * w, h)], fill=_mix(lit, (150, 70, 60), 0.3))
        draw.polygon([*edge, (2 * w, h)], fill=lit)


def _pumpjack(draw: Draw, x: float, base: float, s: float, tilt: float, color: Color) -> None:
    """A pumpjack silhouette: A-frame, tilted walking beam, horse head and counterweight."""
    ax, ay, c, sn, lw = x, base - 0.62 * s, math.cos(tilt) * s, math.sin(tilt) * s, _width(s / 22)
    beam = [(ax + u * c - v * sn, ay + u * sn + v * c) for u, v in BEAM]
    crank = (x + 0.42 * s, base - 0.24 * s)
    draw.polygon(beam, fill=color)
    draw.line([(x - 0.16 * s, base), (ax, ay), (x + 0.16 * s, base)], fill=color, width=lw)
    draw.line((*beam[4], beam[4][0], base), fill=color, width=_width(lw / 2))  # polished rod
    draw.rectangle((x - 0.6 * s, base - 0.04 * s, x + 0.62 * s, base), fill=color)
    draw.rectangle((x + 0.32 * s, crank[1], x + 0.52 * s, base), fill=color)  # gearbox
    draw.line([beam[0], crank], fill=color, width=lw)  # pitman arm
    draw.ellipse(_circle(*crank, 0.13 * s), fill=color)  # counterweight


def _oilfield(img: Img, draw: Draw, rng: Rng) -> None:
    """Pumpjacks, a derrick and burning flare stacks silhouetted against a sunset."""
    (w, h), sil = img.size, (30, 20, 36)
    ground = h * rng.uniform(0.76, 0.82)
    _landscape(img, draw, rng, ground, ("dusk",), sil, sil)
    dx, dh = w * rng.uniform(0.6, 0.9), h * rng.uniform(0.45, 0.6)  # a lattice derrick
    levels = [(dh * 0.16 * (1 - t * 0.8), ground - dh * t) for t in _steps(8)]
    for sides in ((-1,) * 9, (1,) * 9, (-1, 1) * 5, (1, -1) * 5):
        lattice = [(dx + s * r, y) for s, (r, y) in zip(sides, levels, strict=False)]
        draw.line(lattice, fill=sil, width=_width(h * 0.004))
    for i in range(rng.randint(1, 2)):  # flare stacks: a pipe topped by a wind-bent flame
        fx, wind = w * (0.05 + 0.24 * i + rng.uniform(0, 0.16)), rng.uniform(-0.5, 0.5)
        top = ground - h * rng.uniform(0.35, 0.55)
        draw.line((fx, ground, fx, top), fill=sil, width=_width(h * 0.008))
        for k in (4, 2.5):
            draw.ellipse(_circle(fx, top - h * 0.03, h * 0.03 * k), fill=(255, 170, 70, 40))
        for r, color in ((h * 0.03, (246, 120, 40)), (h * 0.017, (255, 220, 110))):
            flame = [(fx + (u - wind * (v + 1)) * r, top - r * (1 + 1.6 * v)) for u, v in DROP]
            draw.polygon(flame, fill=color)
    for i in range(3):  # pumpjacks spread along the field
        x, s = w * (i + rng.uniform(0.25, 0.75)) / 3, h * rng.uniform(0.16, 0.34)
        _pumpjack(draw, x, ground + s * 0.2, s, rng.random() / 3, sil)


def _palms(img: Img, draw: Draw, rng: Rng) -> None:
    """A date-palm grove in three depths, the nearest palms hung with clusters of dates."""
    w, h = img.size
    hz, leaf = int(h * rng.uniform(0.6, 0.68)), _vary(rng, (36, 66, 40), 8)
    kind = _landscape(img, draw, rng, hz, ("warm", "day", "dusk"), (168, 150, 96), (110, 112, 64))
    for depth, (count, scale, haze) in enumerate(((16, 0.2, 0.6), (9, 0.42, 0.3), (4, 0.8, 0.0))):
        for i in range(count):
            x, y = (i + rng.uniform(0.1, 0.9)) * w / count, hz + (h - hz) * (0.04 + 0.38 * depth)
            y, height = y + rng.uniform(0, h * 0.03), h * scale * rng.uniform(0.85, 1.1)
            shadow = (x - height * 0.2, y - height * 0.015, x + height * 0.2, y + height * 0.02)
            draw.ellipse(shadow, fill=(40, 40, 20, 50))
            color = _mix(leaf, SKIES[kind][1], haze)
            _palm(draw, rng, x, y, height, color, (196, 116, 40) if depth == 2 else None)


def _books(img: Img, draw: Draw, rng: Rng) -> None:
    """A bookcase: shelves of coloured spines with gilt bands, some leaning, some stacked flat."""
    (w, h), wood, shelves = img.size, _vary(rng, (120, 78, 48), 10), rng.randint(3, 4)
    board, side = h * 0.035, w * 0.04
    draw.rectangle((0, 0, w, h), fill=_mix(wood, BLACK, 0.5))
    for s in range(shelves + 1):
        y0, y1 = (board + (h - board) * (s + k) / shelves - board for k in (0, 1))
        draw.rectangle((0, y0 - board, w, y0), fill=wood)
        draw.rectangle((0, y0, w, y0 + h * 0.03), fill=(*BLACK, 50))
        x = side + rng.uniform(0, w * 0.05)
        while s < shelves and x < w - side:  # the side panel hides any overhang
            bw, bh = w * rng.uniform(0.014, 0.034), (y1 - y0) * rng.uniform(0.65, 0.92)
            color, roll = _vary(rng, rng.choice(SPINES), 10), rng.random()
            if roll < 0.07:  # a flat stack
                for k in range(rng.randint(3, 6)):
                    bx, y = x + rng.uniform(0, w * 0.01), y1 - k * h * 0.022
                    draw.rectangle((bx, y - h * 0.022, bx + w * 0.1, y), fill=rng.choice(SPINES))
                x += w * 0.12
            elif roll < 0.12:  # a book leaning on its neighbour
                dx, dy = bh * math.sin(a := rng.uniform(0.15, 0.35)), bh * math.cos(a)
                top = [(x + bw + dx, y1 - dy), (x + dx, y1 - dy)]
                draw.polygon([(x, y1), (x + bw, y1), *top], fill=color)
                x += bw + dx
            else:  # an upright spine with two gilt bands
                draw.rectangle((x, y1 - bh, x + bw, y1), fill=color)
                for y in (y1 - bh * 0.9, y1 - bh * 0.15):
                    draw.rectangle((x, y, x + bw, y + h * 0.006), fill=_mix(color, GOLD, 0.6))
                x += bw + (w * 0.03 if roll > 0.97 else rng.choice((0, h * 0.003)))
    for x in (0, w - side):
        draw.rectangle((x, 0, x + side, h), fill=_mix(wood, BLACK, 0.1))


def _stage(img: Img, draw: Draw, rng: Rng) -> None:
    """A theatre stage: velvet curtains, a scalloped pelmet and spotlight pools on the boards."""
    (w, h), plank = img.size, _vary(rng, (120, 78, 46), 10)
    _band(img, 0, h * 0.7, (14, 12, 24), _vary(rng, (54, 34, 60), 10))
    _band(img, h * 0.7, h, _mix(plank, BLACK, 0.4), plank)
    for i in range(-12, 13):
        seam = (w / 2 + i * w * 0.06, h * 0.7, w / 2 + i * w * 0.16, h)
        draw.line(seam, fill=_mix(plank, BLACK, 0.5), width=_width(h * 0.003))
    for _ in range(rng.randint(2, 3)):  # spotlight cones and the pools they throw
        sx, fx, rx = (w * rng.uniform(*span) for span in ((0.1, 0.9), (0.3, 0.7), (0.08, 0.12)))
        cone, fy = [(sx - w * 0.01, 0), (sx + w * 0.01, 0)], h * rng.uniform(0.8, 0.88)
        draw.polygon([*cone, (fx + rx, fy), (fx - rx, fy)], fill=(255, 240, 200, 34))
        draw.ellipse((fx - rx, fy - rx * 0.22, fx + rx, fy + rx * 0.22), fill=(255, 236, 190, 90))
    red, cw = _vary(rng, (150, 24, 36), 12), w * rng.uniform(0.2, 0.26)
    inner = [(cw * (0.45 + 0.55 * ((t - 0.6) / 0.6) ** 2), h * t) for t in _steps(20)]
    for j in range(7):  # curtain folds, gathered towards a tie-back at 60% height
        fold = [(r * j / 7, y) for r, y in inner] + [(r * (j + 1) / 7, y) for r, y in inner[::-1]]
        fill = _mix(red, (20, 0, 10), 0.35 * (j % 2) + 0.15 * j / 7)
        draw.polygon(fold, fill=fill)
        draw.polygon([(w - x, y) for x, y in fold], fill=fill)
    draw.rectangle((0, 0, w, h * 0.1), fill=_mix(red, BLACK, 0.15))
    for swag in ((i * w / 6, h * 0.02, (i + 1) * w / 6, h * 0.18) for i in range(6)):
        draw.pieslice(swag, 0, 180, fill=_mix(red, BLACK, 0.15))
        draw.arc(swag, 0, 180, fill=GOLD, width=_width(h * 0.008))
    draw.line((0, h * 0.1, w, h * 0.1), fill=GOLD, width=_width(h * 0.006))


def _pins(start: float, end: float, g: float) -> list[float]:
    """Positions of pins spaced one grid step apart along a chip edge."""
    return [start + k * g for k in range(1, round((end - start) / g))]


def _circuit(img: Img, draw: Draw, rng: Rng) -> None:
    """A circuit board: chips with pins, traces routed at 45 degrees, pads and vias."""
    (w, h), g, chips, metal = img.size, img.width / 48, [], (196, 198, 200)
    (board, copper), rows = rng.choice(BOARDS), max(8, int(h / g / 2))
    draw.rectangle((0, 0, w, h), fill=board)
    for col, row in rng.sample([(c, r) for c in range(3) for r in range(2)], rng.randint(3, 4)):
        cw, ch = rng.randint(4, 7), rng.randint(3, rows - 5)  # one chip per slot of a 3 x 2 grid
        x0 = g * (col * 16 + rng.randint(2, 14 - cw))
        y0 = g * (row * rows + rng.randint(2, rows - ch - 2))
        chips.append((x0, y0, x0 + cw * g, y0 + ch * g))
    free = [(g * rng.randint(0, 48), g * rng.randint(0, 2 * rows)) for _ in range(12)]
    starts = [(p, rng.randrange(8)) for p in free]  # a few traces that start anywhere
    for x0, y0, x1, y1 in chips:  # traces leave the pins heading away from the chip
        starts += [((x, y), d) for x in _pins(x0, x1, g) for y, d in ((y0 - g, 6), (y1 + g, 2))]
        starts += [((x, y), d) for y in _pins(y0, y1, g) for x, d in ((x0 - g, 4), (x1 + g, 0))]
    dirs = [(1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1)]
    for (x, y), d in starts:
        path = [(x, y)]
        for _ in range(rng.randint(2, 6) if rng.random() < 0.75 else 0):
            n = rng.randint(1, 5)
            nx, ny = x + dirs[d][0] * n * g, y + dirs[d][1] * n * g
            if any(b[0] - g <= nx <= b[2] + g and b[1] - g <= ny <= b[3] + g for b in chips):
                break
            x, y, d = nx, ny, (d + rng.choice((-1, 0, 1))) % 8
            path.append((x, y))
        if len(path) > 1:  # the trace, ending in a drilled pad
            draw.line(path, fill=copper, width=_width(g * 0.22), joint="curve")
            draw.ellipse(_circle(x, y, g * 0.38), fill=copper)
            draw.ellipse(_circle(x, y, g * 0.15), fill=board)
    for x0, y0, x1, y1 in chips:  # pin strips first, then the package body over them
        for x in _pins(x0, x1, g):
            draw.rectangle((x - g * 0.2, y0 - g * 0.9, x + g * 0.2, y1 + g * 0.9), fill=metal)
        for y in _pins(y0, y1, g):
            draw.rectangle((x0 - g * 0.9, y - g * 0.2, x1 + g * 0.9, y + g * 0.2), fill=metal)
        draw.rectangle((x0, y0, x1, y1), fill=(42, 42, 48), outline=INK, width=_width(g / 5))
        draw.ellipse(_circle(x0 + g * 0.7, y0 + g * 0.7, g * 0.2), fill=(70, 70, 78))


def _solar(img: Img, draw: Draw, rng: Rng) -> None:
    """Rows of tilted solar panels on posts, receding towards the horizon under a bright sun."""
    w, h = img.size
    hz = int(h * rng.uniform(0.34, 0.42))
    _landscape(img, draw, rng, hz, ("day", "warm"), (206, 184, 140), (170, 142, 96))
    vx, panel, cell = w * rng.uniform(0.3, 0.7), _vary(rng, (28, 54, 104), 8), (86, 124, 180)
    for k in range(9, 0, -1):  # rows from the horizon forwards, in perspective
        y = hz + (h - hz) * 0.95 / (k * 0.75 + 0.25)
        depth = y - hz
        yt, yb, mw, lw = y - depth * 0.3, y - depth * 0.09, depth * 0.45, _width(depth / 150)
        x = vx - mw * math.ceil(vx / mw) - rng.uniform(0, mw)
        while (x := x + mw) < w + mw:  # the top edge leans away, so it is drawn in a little
            right = x + mw * 0.97
            top = [(vx + (x - vx) * 0.96, yt), (vx + (right - vx) * 0.96, yt)]
            quad = [*top, (right, yb), (x, yb)]
            for post in (x + mw * 0.2, x + mw * 0.77):
                draw.line((post, yb, post, y), fill=(96, 96, 104), width=lw * 3)
            draw.polygon(quad, fill=panel)
            for u in _steps(6)[1:-1]:
                draw.line((_quad(quad, u, 0), _quad(quad, u, 1)), fill=cell, width=lw)
            for v in (1 / 3, 2 / 3):
                draw.line((_quad(quad, 0, v), _quad(quad, 1, v)), fill=cell, width=lw)
            glare = [_quad(quad, u, v) for u, v in ((0.55, 0), (0.8, 0), (0.5, 1), (0.25, 1))]
            draw.polygon(glare, fill=(*WHITE, 30))


def _sea(img: Img, draw: Draw, rng: Rng) -> None:
    """Open water with rows of waves, a container ship and a gantry crane on the quay."""
    w, h = img.size
    hz, deep = int(h * rng.uniform(0.5, 0.56)), _vary(rng, (24, 70, 112), 10)
    kind = _landscape(img, draw, rng, hz, ("day", "warm", "dusk"))
    _band(img, hz, h, _mix(SKIES[kind][1], deep, 0.5), deep)
    crest = (*_mix(SKIES[kind][1], WHITE, 0.4), 150)
    for t in (((row + 1) / 15) ** 1.6 for row in range(15)):  # rows of wave crests
        y, span = hz + (h - hz) * t, w * (0.02 + 0.08 * t)
        x = -rng.uniform(0, span)
        while (x := x + span * rng.uniform(1.2, 2.2)) < w:
            wave = (x, y - span * 0.2, x + span, y + span * 0.2)
            draw.arc(wave, 200, 340, fill=crest, width=_width(span * 0.05))
    size, x0, keel = w * rng.uniform(0.3, 0.4), w * rng.uniform(0.04, 0.25), hz + h * 0.02
    deck, box = keel - h * 0.05, size / 22
    hull = [(x0, deck), (x0 + size * 1.05, deck), (x0 + size * 0.97, keel), (x0 + size / 25, keel)]
    draw.polygon(hull, fill=INK)
    for i in range(16):  # stacks of containers, then the white bridge house at the stern
        for j in range(rng.randint(1, 4)):
            x, y, fill = x0 + size * 0.2 + i * box, deck - j * box * 0.8, rng.choice(CARGO)
            draw.rectangle((x, y - box * 0.8, x + box, y), fill=fill, outline=INK)
    draw.rectangle((x0 + size * 0.04, deck - box * 3.5, x0 + size * 0.14, deck), fill=WHITE)
    windows = (x0 + size * 0.05, deck - box * 3, x0 + size * 0.13, deck - box * 3)
    draw.line(windows, fill=INK, width=_width(box / 3))  # the bridge's windows
    if rng.random() < 0.7:  # a container crane on the quay: legs, boom, apex frame and stays
        qx, lw, steel = w * rng.uniform(0.74, 0.8), _width(h * 0.012), rng.choice(CRANES)
        boom, apex, legs = h * 0.34, (qx + w * 0.06, h * 0.12), (qx, qx + w * 0.12)
        draw.rectangle((qx - w * 0.06, h * 0.82, w, h), fill=(86, 86, 92))
        for leg in legs:
            draw.rectangle((leg - lw, boom, leg + lw, h * 0.82), fill=steel)
        draw.rectangle((qx - w * 0.32, boom - lw, w, boom + lw), fill=steel)
        draw.line([(qx, h * 0.82), (legs[1], h * 0.5), (qx, h * 0.5)], fill=steel, width=lw)
        draw.line([(qx, boom), apex, (legs[1], boom)], fill=steel, width=lw)
        draw.line([(qx - w * 0.32, boom), apex, (w, boom)], fill=steel, width=_width(lw / 3))
        trolley = qx - w * rng.uniform(0.1, 0.25)
        draw.rectangle((trolley - lw * 2, boom, trolley + lw * 2, boom + lw * 4), fill=steel)
        draw.line((trolley, boom, trolley, h * 0.46), fill=INK, width=_width(lw / 4))
    for _ in range(rng.randint(2, 5)):  # gulls
        x, y, s = rng.uniform(0, w), rng.uniform(h * 0.08, hz * 0.7), h * rng.uniform(0.012, 0.02)
        draw.line([(x - s, y - s / 2), (x, y), (x + s, y - s / 2)], fill=INK, width=_width(s / 5))


_DRAWERS: dict[str, Callable[[Img, Draw, Rng], None]] = {
    "river": _river, "city": _city, "market": _market, "stadium": _stadium,
    "desert": _desert, "oilfield": _oilfield, "palms": _palms, "books": _books,
    "stage": _stage, "circuit": _circuit, "solar": _solar, "sea": _sea,
}  # fmt: skip


def render_demo_image(motif: str, seed: int, width: int = 1200, height: int = 675) -> bytes:
    """Draw a flat illustration of `motif` and return it as JPEG bytes (quality ~85)."""
    if motif not in _DRAWERS:
        raise ValueError(f"unknown image motif {motif!r}; expected one of: {', '.join(MOTIFS)}")
    img = Image.new("RGB", (width * SCALE, height * SCALE))
    _DRAWERS[motif](img, ImageDraw.Draw(img, "RGBA"), random.Random(seed))
    out = io.BytesIO()
    img.reduce(SCALE).save(out, "JPEG", quality=85)
    return out.getvalue()
