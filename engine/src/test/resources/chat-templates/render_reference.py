#!/usr/bin/env python3
"""Renders the conversations of ChatTemplateRealModelsTest with Python jinja2 configured the way
Hugging Face transformers' apply_chat_template configures it, to confirm the expected strings written in
that test. Not needed to run the tests: `pip install jinja2 && python3 render_reference.py`."""
import json
import os
from datetime import datetime

from jinja2.exceptions import TemplateError
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = strftime_now

SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
CHAT = [
    {"role": "user", "content": "Hello!"},
    {"role": "assistant", "content": "Hi! How can I help?"},
    {"role": "user", "content": "What is 2+2?"},
]
TOOLS = [{"type": "function", "function": {
    "name": "get_weather",
    "description": "Get the current weather in a city",
    "parameters": {"type": "object",
                   "properties": {"city": {"type": "string", "description": "City name"}},
                   "required": ["city"]}}}]
TOOL_TURN = [
    SYSTEM,
    {"role": "user", "content": "What's the weather in Paris?"},
    {"role": "assistant", "tool_calls": [{"id": "call12345", "type": "function",
                                          "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
    {"role": "tool", "content": "{\"temperature\": 18, \"unit\": \"celsius\"}", "tool_call_id": "call12345",
     "name": "get_weather"},
]
GEMMA_PARTS = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": " Describe this. "}]}]

CASES = [
    ("HuggingFaceTB-SmolLM2-135M-Instruct", "<|im_start|>", "<|im_end|>", [SYSTEM] + CHAT, None, {}),
    ("HuggingFaceTB-SmolLM2-135M-Instruct", "<|im_start|>", "<|im_end|>", CHAT[:1], None, {}),
    ("google-gemma-3-270m-it", "<bos>", "<eos>", [SYSTEM] + CHAT, None, {}),
    ("google-gemma-3-270m-it", "<bos>", "<eos>", GEMMA_PARTS, None, {}),
    ("google-gemma-3-270m-it", "<bos>", "<eos>", CHAT[:1] + CHAT[:1], None, {}),
    ("meta-llama-Llama-3.2-3B-Instruct", "<|begin_of_text|>", "<|eot_id|>", [SYSTEM] + CHAT, None,
     {"date_string": "26 Jul 2024"}),
    ("meta-llama-Llama-3.2-3B-Instruct", "<|begin_of_text|>", "<|eot_id|>", TOOL_TURN, TOOLS,
     {"date_string": "26 Jul 2024"}),
    ("Qwen-Qwen2.5-7B-Instruct", "<|endoftext|>", "<|im_end|>", [SYSTEM] + CHAT, None, {}),
    ("Qwen-Qwen2.5-7B-Instruct", "<|endoftext|>", "<|im_end|>", CHAT[:1], None, {}),
    ("Qwen-Qwen2.5-7B-Instruct", "<|endoftext|>", "<|im_end|>", TOOL_TURN, TOOLS, {}),
    ("mistralai-Mistral-7B-Instruct-v0.2", "<s>", "</s>", CHAT, None, {}),
    ("mistralai-Mistral-7B-Instruct-v0.2", "<s>", "</s>", [SYSTEM] + CHAT, None, {}),
    ("mistralai-Mistral-Nemo-Instruct-2407", "<s>", "</s>", [SYSTEM] + CHAT, None, {}),
    ("mistralai-Mistral-Nemo-Instruct-2407", "<s>", "</s>", TOOL_TURN, TOOLS, {}),
]

for name, bos, eos, messages, tools, extra in CASES:
    with open(os.path.join(HERE, name + ".jinja"), encoding="utf-8") as f:
        template = env.from_string(f.read())
    try:
        out = template.render(messages=messages, tools=tools, documents=None, add_generation_prompt=True,
                              bos_token=bos, eos_token=eos, **extra)
    except TemplateError as e:
        out = "ERROR: " + str(e)
    print(f"== {name} ({len(messages)} messages, tools={tools is not None})")
    print(json.dumps(out, ensure_ascii=False))
