"""Draw the reader site's favicon and touch icon: the paper's initial «ج» on its red.

Run once when the mark changes (needs Pillow and Noto Naskh Arabic Bold from Debian's
fonts-noto-core); the outputs are committed under jarida/reader/static/reader/icons/.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf"
OUT = Path(__file__).resolve().parent.parent / "jarida" / "reader" / "static" / "reader" / "icons"
RED, PAPER = "#9b1c1c", "#fdfcf9"


def draw(size: int, radius: float) -> Image.Image:
    """The mark at `size` pixels, corners rounded by `radius` of the size."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=int(size * radius), fill=RED)
    font = ImageFont.truetype(FONT, int(size * 0.62))
    pen.text((size / 2, size * 0.47), "ج", font=font, fill=PAPER, anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(64, 0.18).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    # iOS rounds the corners itself and shows transparency as black: a full square.
    draw(180, 0).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
