"""The Llama models the catalog starts with. The admin edits it afterwards."""

from adoption.enums import Modality

LLAMA_CATALOG = [
    # family, name, size, modality, slug
    ("Llama 3.1", "Llama 3.1 8B", "8B", Modality.TEXT, "llama-3.1-8b"),
    ("Llama 3.1", "Llama 3.1 70B", "70B", Modality.TEXT, "llama-3.1-70b"),
    ("Llama 3.1", "Llama 3.1 405B", "405B", Modality.TEXT, "llama-3.1-405b"),
    ("Llama 3.2", "Llama 3.2 1B", "1B", Modality.TEXT, "llama-3.2-1b"),
    ("Llama 3.2", "Llama 3.2 3B", "3B", Modality.TEXT, "llama-3.2-3b"),
    ("Llama 3.2", "Llama 3.2 11B Vision", "11B", Modality.VISION, "llama-3.2-11b-vision"),
    ("Llama 3.2", "Llama 3.2 90B Vision", "90B", Modality.VISION, "llama-3.2-90b-vision"),
    ("Llama 3.3", "Llama 3.3 70B", "70B", Modality.TEXT, "llama-3.3-70b"),
    ("Llama 4", "Llama 4 Scout", "17B active, 16 experts", Modality.VISION, "llama-4-scout"),
    ("Llama 4", "Llama 4 Maverick", "17B active, 128 experts", Modality.VISION, "llama-4-maverick"),
    ("Llama Guard", "Llama Guard", "8B", Modality.SAFETY, "llama-guard"),
]


def seed_catalog(model_class) -> int:
    """Create or update the Llama models; returns how many there are. Takes the
    model class so that the data migration can pass its historical one."""
    for order, (family, name, size, modality, slug) in enumerate(LLAMA_CATALOG):
        model_class.objects.update_or_create(
            slug=slug,
            defaults={"family": family, "name": name, "size": size, "modality": str(modality), "order": order},
        )
    return len(LLAMA_CATALOG)
