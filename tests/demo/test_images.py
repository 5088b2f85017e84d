"""The demo illustrations: every motif renders, deterministically, as a JPEG of the asked size."""

import io

import pytest
from PIL import Image

from jarida.demo.images import MOTIFS, render_demo_image


@pytest.mark.parametrize("motif", MOTIFS)
def test_every_motif_renders_a_jpeg_of_the_requested_size(motif):
    data = render_demo_image(motif, seed=7)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (1200, 675)
        image.load()  # decodes the whole file, so a truncated JPEG fails here


@pytest.mark.parametrize("size", [(320, 180), (64, 36), (300, 500)])
def test_other_sizes_are_honoured(size):
    for motif in MOTIFS:
        with Image.open(io.BytesIO(render_demo_image(motif, 3, *size))) as image:
            assert image.size == size


@pytest.mark.parametrize("motif", MOTIFS)
def test_same_seed_gives_identical_bytes(motif):
    assert render_demo_image(motif, 42, 400, 225) == render_demo_image(motif, 42, 400, 225)


@pytest.mark.parametrize("motif", MOTIFS)
def test_different_seeds_give_different_images(motif):
    renders = {render_demo_image(motif, seed, 400, 225) for seed in (1, 2, 3)}
    assert len(renders) == 3


def test_motifs_differ_from_one_another():
    assert len({render_demo_image(motif, 5, 240, 135) for motif in MOTIFS}) == len(MOTIFS)


def test_unknown_motif_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="volcano"):
        render_demo_image("volcano", 1)
