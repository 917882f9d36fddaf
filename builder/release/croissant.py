"""Croissant metadata (croissant.json): the release described in the MLCommons format.

The record set's fields are generated from the same schema tree as the Hugging Face
features; a list becomes a repeated field and a struct a field with sub-fields.
"""

from __future__ import annotations

from typing import Any

from ..card.citation import citation
from ..config import DATA_FILES_GLOB, DatasetConfig
from ..schema_features import Field, ListOf, Scalar, Struct, record_fields

CROISSANT_SPEC = "http://mlcommons.org/croissant/1.0"
# The @context the Croissant 1.0 specification prescribes (its section "Context").
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "equivalentProperty": "cr:equivalentProperty",
    "samplingRate": "cr:samplingRate",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
DATA_TYPES = {
    "string": "sc:Text",
    "date": "sc:Date",
    "date-time": "sc:DateTime",
    "int64": "sc:Integer",
    "float64": "sc:Float",
    "bool": "sc:Boolean",
}
RECORD_SET = "records"
FILE_SET = "jsonl-shards"
LICENSE_URLS = {
    "apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0",
    "mit": "https://opensource.org/license/mit",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-by-nc-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
}


def _source(column: str, inner: list[str]) -> dict[str, Any]:
    # JSON Lines are read one column per top-level key; a nested value is reached from
    # its column with a jsonPath transform (applied to each item of a list).
    source: dict[str, Any] = {"fileSet": {"@id": FILE_SET}, "extract": {"column": column}}
    if inner:
        source["transform"] = {"jsonPath": ".".join(inner)}
    return source


def _field(field: Field, parent_id: str, column: str, inner: list[str]) -> dict[str, Any]:
    field_id = f"{parent_id}/{field.name}"
    kind, repeated = field.type, False
    if isinstance(kind, ListOf):
        kind, repeated = kind.item, True
    node: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": field_id,
        "name": field.name,
        "description": field.description,
    }
    if repeated:
        node["repeated"] = True
    if isinstance(kind, Struct):
        # A struct has no data type of its own: its sub-fields carry the types and sources.
        node["subField"] = [_field(f, field_id, column, [*inner, f.name]) for f in kind.fields]
        return node
    # A list of lists has no Croissant type; its items are described as text.
    node["dataType"] = DATA_TYPES[kind.kind] if isinstance(kind, Scalar) else "sc:Text"
    node["source"] = _source(column, inner)
    return node


def croissant_metadata(
    config: DatasetConfig, version: str, schema: dict[str, Any], data_files: dict[str, str]
) -> dict[str, Any]:
    """croissant.json for a release; data_files maps each shard path to its SHA-256."""
    note = config.note(version)
    metadata: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_SPEC,
        "name": config.name,
        "description": config.description,
        "url": config.homepage,
        "license": LICENSE_URLS.get(config.license, config.license_link or config.license),
        "version": version,
        "inLanguage": list(config.languages),
    }
    metadata["citeAs"] = citation(config, version)
    if note.date:
        metadata["datePublished"] = note.date
    if config.citation_authors:
        metadata["creator"] = {"@type": "sc:Person", "name": config.citation_authors}
    files = [
        {
            "@type": "cr:FileObject",
            "@id": path,
            "name": path,
            "contentUrl": path,
            "encodingFormat": "application/jsonlines",
            "sha256": digest,
        }
        for path, digest in sorted(data_files.items())
    ]
    file_set = {
        "@type": "cr:FileSet",
        "@id": FILE_SET,
        "name": FILE_SET,
        "description": "The release's gzip-compressed JSON Lines shards.",
        "encodingFormat": "application/jsonlines",
        "includes": DATA_FILES_GLOB,
    }
    record_set = {
        "@type": "cr:RecordSet",
        "@id": RECORD_SET,
        "name": RECORD_SET,
        "description": schema.get("description", ""),
        "key": {"@id": f"{RECORD_SET}/id"},
        "field": [_field(f, RECORD_SET, f.name, []) for f in record_fields(schema)],
    }
    metadata["distribution"] = files + [file_set]
    metadata["recordSet"] = [record_set]
    return metadata
