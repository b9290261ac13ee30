# jq's builtins that jaq lacks or defines differently, written from jq's manual.
# Loaded after jaq's own definitions: a name defined here replaces jaq's for what
# follows (the user's program), while jaq's definitions keep the ones they saw.
# `_jaq_*` keep jaq's version under another name before it is replaced.

# jaq's `type` compares with every kind in turn: slow where it matters most.
def type: _jq_type;

# A single input: `inputs` yields nothing and `input` fails.
def inputs: empty;
def input: error("No more inputs");
def input_filename: null;
def input_line_number: 0;
def have_decnum: true;
def have_literal_numbers: true;
def env: $ENV;
def get_search_list: [];

def tostring: if type == "string" then . else tojson end;
def @text: tostring;
def @json: tojson;
def ascii: [.] | implode;

# Errors and arithmetic as jq words and computes them.
def _jq_index_down: if type == "number" and . != floor then floor else . end;
def _jq_index_up: if type == "number" and . != floor then ceil else . end;

# Paths: jq creates what is missing and deletes all paths at once.
def _jq_assign(paths; $v): _jq_modify(paths; $v);
def setpath($p; $v): _jq_setpath($p; $v);
def delpaths($ps): _jq_delpaths($ps);
def del(f): _jq_delpaths([path(f)]);
def pick(f): . as $top | reduce path(f) as $p (null; setpath($p; $top | getpath($p)));
def to_entries: [keys_unsorted[] as $k | {key: $k, value: .[$k]}];
def from_entries: reduce .[] as $e ({};
  ($e | if type == "object" then . else {} end) as $o
  | ($o | if has("key") then .key elif has("k") then .k elif has("name") then .name
          elif has("Name") then .Name elif has("K") then .K else .Key end
        | if type == "string" then . elif type == "null" then "null" else tojson end) as $key
  | ($o | if has("value") then .value elif has("v") then .v elif has("Value") then .Value else .V end) as $value
  | . + {($key): $value});
def with_entries(f): to_entries | map(f) | from_entries;
def map_values(f): _jq_modify(.[]; f);
def walk(f): def w: if type == "object" then map_values(w) elif type == "array" then map(w) else . end | f; w;
def leaf_paths: paths(scalars);

# Streams: `[path, leaf]` for each leaf and `[path]` closing each array or object.
def tostream:
  def s($p):
    if (type == "array" or type == "object") and length > 0 then
      [keys_unsorted[]] as $ks
      | ($ks[] as $k | .[$k] | s($p + [$k])), [$p + [$ks[-1]]]
    else [$p, .] end;
  s([]);
def fromstream(f):
  foreach f as $e ({x: null, done: false};
    if .done then {x: null, done: false} end
    | if ($e | length) == 2
      then .x |= setpath($e[0]; $e[1]) | .done = ($e[0] | length == 0)
      else .done = ($e[0] | length == 1) end;
    select(.done) | .x);
def truncate_stream(stream): . as $n | null | stream | select(.[0] | length > $n) | .[0] |= .[$n:];

# Membership and joins (SQL-style).
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row | idx_expr | tostring] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def JOIN($idx; idx_expr): [.[] | [., $idx[idx_expr]]];
def JOIN($idx; stream; idx_expr): stream | [., $idx[idx_expr]];
def JOIN($idx; stream; idx_expr; join_expr): stream | [., $idx[idx_expr]] | join_expr;

# Strings.
def join($s): reduce .[] as $x (null;
    (if . == null then "" else . + $s end)
    + ($x | if type == "null" then "" elif type == "boolean" or type == "number" then tojson else . end)
  ) // "";
def _jaq_ltrimstr($s): ltrimstr($s);
def _jaq_rtrimstr($s): rtrimstr($s);
def ltrimstr($s): if type == "string" and ($s | type) == "string" then _jaq_ltrimstr($s) else error("startswith() requires string inputs") end;
def rtrimstr($s): if type == "string" and ($s | type) == "string" then _jaq_rtrimstr($s) else error("endswith() requires string inputs") end;
def trimstr($s): ltrimstr($s) | rtrimstr($s);
def _jaq_trim: trim;
def _jaq_ltrim: ltrim;
def _jaq_rtrim: rtrim;
def trim: if type == "string" then _jaq_trim else error("trim input must be a string") end;
def ltrim: if type == "string" then _jaq_ltrim else error("trim input must be a string") end;
def rtrim: if type == "string" then _jaq_rtrim else error("trim input must be a string") end;
def _jaq_utf8bytelength: utf8bytelength;
def utf8bytelength: if type == "string" then _jaq_utf8bytelength else error("\(type) (\(_jq_dump)) only strings have UTF-8 byte length") end;
def _jaq_implode: implode;
def implode:
  if type != "array" then error("implode input must be an array") end
  | map(if type != "number" then error("\(type) (\(_jq_dump)) can't be imploded, unicode codepoint needs to be numeric")
        elif . < 0 or . > 1114111 or (. >= 55296 and . <= 57343) then 65533 else floor end)
  | _jaq_implode;
def @base32d: tostring | _jq_base32d;
def tonumber:
  if type == "number" then .
  elif type == "string" and test("^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$") then
    ltrimstr("+") | if startswith(".") then "0" + . elif startswith("-.") then "-0" + .[1:] end
    | if test("\\.($|[eE])") then sub("\\."; ".0") end | fromjson
  else error("\(type) (\(_jq_dump)) cannot be parsed as a number") end;
def toboolean:
  if type == "boolean" then . elif . == "true" then true elif . == "false" then false
  else error("\(type) (\(_jq_dump)) cannot be parsed as a boolean") end;

# Generators with jq's checks.
def _jaq_limit($n; f): limit($n; f);
def limit($n; f): if $n < 0 then error("limit doesn't support negative count") else _jaq_limit($n; f) end;
def _jaq_skip($n; f): skip($n; f);
def skip($n; f): if $n < 0 then error("skip doesn't support negative count") else _jaq_skip($n; f) end;
def nth($n; f): if $n < 0 then error("nth doesn't support negative indices") else first(skip($n; f)) end;
def _jaq_flatten($d): flatten($d);
def flatten($d): if $d < 0 then error("flatten depth must not be negative") else _jaq_flatten($d) // [] end;

# Effects: `debug` and `stderr` write to stderr (made safe), `halt_error` its message.
def halt_error($code): _jq_halt_message, halt($code);
def halt_error: halt_error(5);
