import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 557:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


const f = __nccwpck_require__(470)
const DateTime = global.Date

class Date extends DateTime {
  constructor (value) {
    super(value)
    this.isDate = true
  }
  toISOString () {
    return `${this.getUTCFullYear()}-${f(2, this.getUTCMonth() + 1)}-${f(2, this.getUTCDate())}`
  }
}

module.exports = value => {
  const date = new Date(value)
  /* istanbul ignore if */
  if (isNaN(date)) {
    throw new TypeError('Invalid Datetime')
  } else {
    return date
  }
}


/***/ }),

/***/ 487:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


const f = __nccwpck_require__(470)

class FloatingDateTime extends Date {
  constructor (value) {
    super(value + 'Z')
    this.isFloating = true
  }
  toISOString () {
    const date = `${this.getUTCFullYear()}-${f(2, this.getUTCMonth() + 1)}-${f(2, this.getUTCDate())}`
    const time = `${f(2, this.getUTCHours())}:${f(2, this.getUTCMinutes())}:${f(2, this.getUTCSeconds())}.${f(3, this.getUTCMilliseconds())}`
    return `${date}T${time}`
  }
}

module.exports = value => {
  const date = new FloatingDateTime(value)
  /* istanbul ignore if */
  if (isNaN(date)) {
    throw new TypeError('Invalid Datetime')
  } else {
    return date
  }
}


/***/ }),

/***/ 376:
/***/ ((module) => {


module.exports = value => {
  const date = new Date(value)
  /* istanbul ignore if */
  if (isNaN(date)) {
    throw new TypeError('Invalid Datetime')
  } else {
    return date
  }
}


/***/ }),

/***/ 420:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


const f = __nccwpck_require__(470)

class Time extends Date {
  constructor (value) {
    super(`0000-01-01T${value}Z`)
    this.isTime = true
  }
  toISOString () {
    return `${f(2, this.getUTCHours())}:${f(2, this.getUTCMinutes())}:${f(2, this.getUTCSeconds())}.${f(3, this.getUTCMilliseconds())}`
  }
}

module.exports = value => {
  const date = new Time(value)
  /* istanbul ignore if */
  if (isNaN(date)) {
    throw new TypeError('Invalid Datetime')
  } else {
    return date
  }
}


/***/ }),

/***/ 470:
/***/ ((module) => {


module.exports = (d, num) => {
  num = String(num)
  while (num.length < d) num = '0' + num
  return num
}


/***/ }),

/***/ 991:
/***/ ((module) => {


const ParserEND = 0x110000
class ParserError extends Error {
  /* istanbul ignore next */
  constructor (msg, filename, linenumber) {
    super('[ParserError] ' + msg, filename, linenumber)
    this.name = 'ParserError'
    this.code = 'ParserError'
    if (Error.captureStackTrace) Error.captureStackTrace(this, ParserError)
  }
}
class State {
  constructor (parser) {
    this.parser = parser
    this.buf = ''
    this.returned = null
    this.result = null
    this.resultTable = null
    this.resultArr = null
  }
}
class Parser {
  constructor () {
    this.pos = 0
    this.col = 0
    this.line = 0
    this.obj = {}
    this.ctx = this.obj
    this.stack = []
    this._buf = ''
    this.char = null
    this.ii = 0
    this.state = new State(this.parseStart)
  }

  parse (str) {
    /* istanbul ignore next */
    if (str.length === 0 || str.length == null) return

    this._buf = String(str)
    this.ii = -1
    this.char = -1
    let getNext
    while (getNext === false || this.nextChar()) {
      getNext = this.runOne()
    }
    this._buf = null
  }
  nextChar () {
    if (this.char === 0x0A) {
      ++this.line
      this.col = -1
    }
    ++this.ii
    this.char = this._buf.codePointAt(this.ii)
    ++this.pos
    ++this.col
    return this.haveBuffer()
  }
  haveBuffer () {
    return this.ii < this._buf.length
  }
  runOne () {
    return this.state.parser.call(this, this.state.returned)
  }
  finish () {
    this.char = ParserEND
    let last
    do {
      last = this.state.parser
      this.runOne()
    } while (this.state.parser !== last)

    this.ctx = null
    this.state = null
    this._buf = null

    return this.obj
  }
  next (fn) {
    /* istanbul ignore next */
    if (typeof fn !== 'function') throw new ParserError('Tried to set state to non-existent state: ' + JSON.stringify(fn))
    this.state.parser = fn
  }
  goto (fn) {
    this.next(fn)
    return this.runOne()
  }
  call (fn, returnWith) {
    if (returnWith) this.next(returnWith)
    this.stack.push(this.state)
    this.state = new State(fn)
  }
  callNow (fn, returnWith) {
    this.call(fn, returnWith)
    return this.runOne()
  }
  return (value) {
    /* istanbul ignore next */
    if (this.stack.length === 0) throw this.error(new ParserError('Stack underflow'))
    if (value === undefined) value = this.state.buf
    this.state = this.stack.pop()
    this.state.returned = value
  }
  returnNow (value) {
    this.return(value)
    return this.runOne()
  }
  consume () {
    /* istanbul ignore next */
    if (this.char === ParserEND) throw this.error(new ParserError('Unexpected end-of-buffer'))
    this.state.buf += this._buf[this.ii]
  }
  error (err) {
    err.line = this.line
    err.col = this.col
    err.pos = this.pos
    return err
  }
  /* istanbul ignore next */
  parseStart () {
    throw new ParserError('Must declare a parseStart method')
  }
}
Parser.END = ParserEND
Parser.Error = ParserError
module.exports = Parser


/***/ }),

/***/ 862:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


/* eslint-disable no-new-wrappers, no-eval, camelcase, operator-linebreak */
module.exports = makeParserClass(__nccwpck_require__(991))
module.exports.makeParserClass = makeParserClass

class TomlError extends Error {
  constructor (msg) {
    super(msg)
    this.name = 'TomlError'
    /* istanbul ignore next */
    if (Error.captureStackTrace) Error.captureStackTrace(this, TomlError)
    this.fromTOML = true
    this.wrapped = null
  }
}
TomlError.wrap = err => {
  const terr = new TomlError(err.message)
  terr.code = err.code
  terr.wrapped = err
  return terr
}
module.exports.TomlError = TomlError

const createDateTime = __nccwpck_require__(376)
const createDateTimeFloat = __nccwpck_require__(487)
const createDate = __nccwpck_require__(557)
const createTime = __nccwpck_require__(420)

const CTRL_I = 0x09
const CTRL_J = 0x0A
const CTRL_M = 0x0D
const CTRL_CHAR_BOUNDARY = 0x1F // the last non-character in the latin1 region of unicode, except DEL
const CHAR_SP = 0x20
const CHAR_QUOT = 0x22
const CHAR_NUM = 0x23
const CHAR_APOS = 0x27
const CHAR_PLUS = 0x2B
const CHAR_COMMA = 0x2C
const CHAR_HYPHEN = 0x2D
const CHAR_PERIOD = 0x2E
const CHAR_0 = 0x30
const CHAR_1 = 0x31
const CHAR_7 = 0x37
const CHAR_9 = 0x39
const CHAR_COLON = 0x3A
const CHAR_EQUALS = 0x3D
const CHAR_A = 0x41
const CHAR_E = 0x45
const CHAR_F = 0x46
const CHAR_T = 0x54
const CHAR_U = 0x55
const CHAR_Z = 0x5A
const CHAR_LOWBAR = 0x5F
const CHAR_a = 0x61
const CHAR_b = 0x62
const CHAR_e = 0x65
const CHAR_f = 0x66
const CHAR_i = 0x69
const CHAR_l = 0x6C
const CHAR_n = 0x6E
const CHAR_o = 0x6F
const CHAR_r = 0x72
const CHAR_s = 0x73
const CHAR_t = 0x74
const CHAR_u = 0x75
const CHAR_x = 0x78
const CHAR_z = 0x7A
const CHAR_LCUB = 0x7B
const CHAR_RCUB = 0x7D
const CHAR_LSQB = 0x5B
const CHAR_BSOL = 0x5C
const CHAR_RSQB = 0x5D
const CHAR_DEL = 0x7F
const SURROGATE_FIRST = 0xD800
const SURROGATE_LAST = 0xDFFF

const escapes = {
  [CHAR_b]: '\u0008',
  [CHAR_t]: '\u0009',
  [CHAR_n]: '\u000A',
  [CHAR_f]: '\u000C',
  [CHAR_r]: '\u000D',
  [CHAR_QUOT]: '\u0022',
  [CHAR_BSOL]: '\u005C'
}

function isDigit (cp) {
  return cp >= CHAR_0 && cp <= CHAR_9
}
function isHexit (cp) {
  return (cp >= CHAR_A && cp <= CHAR_F) || (cp >= CHAR_a && cp <= CHAR_f) || (cp >= CHAR_0 && cp <= CHAR_9)
}
function isBit (cp) {
  return cp === CHAR_1 || cp === CHAR_0
}
function isOctit (cp) {
  return (cp >= CHAR_0 && cp <= CHAR_7)
}
function isAlphaNumQuoteHyphen (cp) {
  return (cp >= CHAR_A && cp <= CHAR_Z)
      || (cp >= CHAR_a && cp <= CHAR_z)
      || (cp >= CHAR_0 && cp <= CHAR_9)
      || cp === CHAR_APOS
      || cp === CHAR_QUOT
      || cp === CHAR_LOWBAR
      || cp === CHAR_HYPHEN
}
function isAlphaNumHyphen (cp) {
  return (cp >= CHAR_A && cp <= CHAR_Z)
      || (cp >= CHAR_a && cp <= CHAR_z)
      || (cp >= CHAR_0 && cp <= CHAR_9)
      || cp === CHAR_LOWBAR
      || cp === CHAR_HYPHEN
}
const _type = Symbol('type')
const _declared = Symbol('declared')

const hasOwnProperty = Object.prototype.hasOwnProperty
const defineProperty = Object.defineProperty
const descriptor = {configurable: true, enumerable: true, writable: true, value: undefined}

function hasKey (obj, key) {
  if (hasOwnProperty.call(obj, key)) return true
  if (key === '__proto__') defineProperty(obj, '__proto__', descriptor)
  return false
}

const INLINE_TABLE = Symbol('inline-table')
function InlineTable () {
  return Object.defineProperties({}, {
    [_type]: {value: INLINE_TABLE}
  })
}
function isInlineTable (obj) {
  if (obj === null || typeof (obj) !== 'object') return false
  return obj[_type] === INLINE_TABLE
}

const TABLE = Symbol('table')
function Table () {
  return Object.defineProperties({}, {
    [_type]: {value: TABLE},
    [_declared]: {value: false, writable: true}
  })
}
function isTable (obj) {
  if (obj === null || typeof (obj) !== 'object') return false
  return obj[_type] === TABLE
}

const _contentType = Symbol('content-type')
const INLINE_LIST = Symbol('inline-list')
function InlineList (type) {
  return Object.defineProperties([], {
    [_type]: {value: INLINE_LIST},
    [_contentType]: {value: type}
  })
}
function isInlineList (obj) {
  if (obj === null || typeof (obj) !== 'object') return false
  return obj[_type] === INLINE_LIST
}

const LIST = Symbol('list')
function List () {
  return Object.defineProperties([], {
    [_type]: {value: LIST}
  })
}
function isList (obj) {
  if (obj === null || typeof (obj) !== 'object') return false
  return obj[_type] === LIST
}

// in an eval, to let bundlers not slurp in a util proxy
let _custom
try {
  const utilInspect = eval("require('util').inspect")
  _custom = utilInspect.custom
} catch (_) {
  /* eval require not available in transpiled bundle */
}
/* istanbul ignore next */
const _inspect = _custom || 'inspect'

class BoxedBigInt {
  constructor (value) {
    try {
      this.value = global.BigInt.asIntN(64, value)
    } catch (_) {
      /* istanbul ignore next */
      this.value = null
    }
    Object.defineProperty(this, _type, {value: INTEGER})
  }
  isNaN () {
    return this.value === null
  }
  /* istanbul ignore next */
  toString () {
    return String(this.value)
  }
  /* istanbul ignore next */
  [_inspect] () {
    return `[BigInt: ${this.toString()}]}`
  }
  valueOf () {
    return this.value
  }
}

const INTEGER = Symbol('integer')
function Integer (value) {
  let num = Number(value)
  // -0 is a float thing, not an int thing
  if (Object.is(num, -0)) num = 0
  /* istanbul ignore else */
  if (global.BigInt && !Number.isSafeInteger(num)) {
    return new BoxedBigInt(value)
  } else {
    /* istanbul ignore next */
    return Object.defineProperties(new Number(num), {
      isNaN: {value: function () { return isNaN(this) }},
      [_type]: {value: INTEGER},
      [_inspect]: {value: () => `[Integer: ${value}]`}
    })
  }
}
function isInteger (obj) {
  if (obj === null || typeof (obj) !== 'object') return false
  return obj[_type] === INTEGER
}

const FLOAT = Symbol('float')
function Float (value) {
  /* istanbul ignore next */
  return Object.defineProperties(new Number(value), {
    [_type]: {value: FLOAT},
    [_inspect]: {value: () => `[Float: ${value}]`}
  })
}
function isFloat (obj) {
  if (obj === null || typeof (obj) !== 'object') return false
  return obj[_type] === FLOAT
}

function tomlType (value) {
  const type = typeof value
  if (type === 'object') {
    /* istanbul ignore if */
    if (value === null) return 'null'
    if (value instanceof Date) return 'datetime'
    /* istanbul ignore else */
    if (_type in value) {
      switch (value[_type]) {
        case INLINE_TABLE: return 'inline-table'
        case INLINE_LIST: return 'inline-list'
        /* istanbul ignore next */
        case TABLE: return 'table'
        /* istanbul ignore next */
        case LIST: return 'list'
        case FLOAT: return 'float'
        case INTEGER: return 'integer'
      }
    }
  }
  return type
}

function makeParserClass (Parser) {
  class TOMLParser extends Parser {
    constructor () {
      super()
      this.ctx = this.obj = Table()
    }

    /* MATCH HELPER */
    atEndOfWord () {
      return this.char === CHAR_NUM || this.char === CTRL_I || this.char === CHAR_SP || this.atEndOfLine()
    }
    atEndOfLine () {
      return this.char === Parser.END || this.char === CTRL_J || this.char === CTRL_M
    }

    parseStart () {
      if (this.char === Parser.END) {
        return null
      } else if (this.char === CHAR_LSQB) {
        return this.call(this.parseTableOrList)
      } else if (this.char === CHAR_NUM) {
        return this.call(this.parseComment)
      } else if (this.char === CTRL_J || this.char === CHAR_SP || this.char === CTRL_I || this.char === CTRL_M) {
        return null
      } else if (isAlphaNumQuoteHyphen(this.char)) {
        return this.callNow(this.parseAssignStatement)
      } else {
        throw this.error(new TomlError(`Unknown character "${this.char}"`))
      }
    }

    // HELPER, this strips any whitespace and comments to the end of the line
    // then RETURNS. Last state in a production.
    parseWhitespaceToEOL () {
      if (this.char === CHAR_SP || this.char === CTRL_I || this.char === CTRL_M) {
        return null
      } else if (this.char === CHAR_NUM) {
        return this.goto(this.parseComment)
      } else if (this.char === Parser.END || this.char === CTRL_J) {
        return this.return()
      } else {
        throw this.error(new TomlError('Unexpected character, expected only whitespace or comments till end of line'))
      }
    }

    /* ASSIGNMENT: key = value */
    parseAssignStatement () {
      return this.callNow(this.parseAssign, this.recordAssignStatement)
    }
    recordAssignStatement (kv) {
      let target = this.ctx
      let finalKey = kv.key.pop()
      for (let kw of kv.key) {
        if (hasKey(target, kw) && !isTable(target[kw])) {
          throw this.error(new TomlError("Can't redefine existing key"))
        }
        target = target[kw] = target[kw] || Table()
      }
      if (hasKey(target, finalKey)) {
        throw this.error(new TomlError("Can't redefine existing key"))
      }
      target[_declared] = true
      // unbox our numbers
      if (isInteger(kv.value) || isFloat(kv.value)) {
        target[finalKey] = kv.value.valueOf()
      } else {
        target[finalKey] = kv.value
      }
      return this.goto(this.parseWhitespaceToEOL)
    }

    /* ASSSIGNMENT expression, key = value possibly inside an inline table */
    parseAssign () {
      return this.callNow(this.parseKeyword, this.recordAssignKeyword)
    }
    recordAssignKeyword (key) {
      if (this.state.resultTable) {
        this.state.resultTable.push(key)
      } else {
        this.state.resultTable = [key]
      }
      return this.goto(this.parseAssignKeywordPreDot)
    }
    parseAssignKeywordPreDot () {
      if (this.char === CHAR_PERIOD) {
        return this.next(this.parseAssignKeywordPostDot)
      } else if (this.char !== CHAR_SP && this.char !== CTRL_I) {
        return this.goto(this.parseAssignEqual)
      }
    }
    parseAssignKeywordPostDot () {
      if (this.char !== CHAR_SP && this.char !== CTRL_I) {
        return this.callNow(this.parseKeyword, this.recordAssignKeyword)
      }
    }

    parseAssignEqual () {
      if (this.char === CHAR_EQUALS) {
        return this.next(this.parseAssignPreValue)
      } else {
        throw this.error(new TomlError('Invalid character, expected "="'))
      }
    }
    parseAssignPreValue () {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else {
        return this.callNow(this.parseValue, this.recordAssignValue)
      }
    }
    recordAssignValue (value) {
      return this.returnNow({key: this.state.resultTable, value: value})
    }

    /* COMMENTS: #...eol */
    parseComment () {
      do {
        if (this.char === Parser.END || this.char === CTRL_J) {
          return this.return()
        } else if (this.char === CHAR_DEL || (this.char <= CTRL_CHAR_BOUNDARY && this.char !== CTRL_I)) {
          throw this.errorControlCharIn('comments')
        }
      } while (this.nextChar())
    }

    /* TABLES AND LISTS, [foo] and [[foo]] */
    parseTableOrList () {
      if (this.char === CHAR_LSQB) {
        this.next(this.parseList)
      } else {
        return this.goto(this.parseTable)
      }
    }

    /* TABLE [foo.bar.baz] */
    parseTable () {
      this.ctx = this.obj
      return this.goto(this.parseTableNext)
    }
    parseTableNext () {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else {
        return this.callNow(this.parseKeyword, this.parseTableMore)
      }
    }
    parseTableMore (keyword) {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else if (this.char === CHAR_RSQB) {
        if (hasKey(this.ctx, keyword) && (!isTable(this.ctx[keyword]) || this.ctx[keyword][_declared])) {
          throw this.error(new TomlError("Can't redefine existing key"))
        } else {
          this.ctx = this.ctx[keyword] = this.ctx[keyword] || Table()
          this.ctx[_declared] = true
        }
        return this.next(this.parseWhitespaceToEOL)
      } else if (this.char === CHAR_PERIOD) {
        if (!hasKey(this.ctx, keyword)) {
          this.ctx = this.ctx[keyword] = Table()
        } else if (isTable(this.ctx[keyword])) {
          this.ctx = this.ctx[keyword]
        } else if (isList(this.ctx[keyword])) {
          this.ctx = this.ctx[keyword][this.ctx[keyword].length - 1]
        } else {
          throw this.error(new TomlError("Can't redefine existing key"))
        }
        return this.next(this.parseTableNext)
      } else {
        throw this.error(new TomlError('Unexpected character, expected whitespace, . or ]'))
      }
    }

    /* LIST [[a.b.c]] */
    parseList () {
      this.ctx = this.obj
      return this.goto(this.parseListNext)
    }
    parseListNext () {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else {
        return this.callNow(this.parseKeyword, this.parseListMore)
      }
    }
    parseListMore (keyword) {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else if (this.char === CHAR_RSQB) {
        if (!hasKey(this.ctx, keyword)) {
          this.ctx[keyword] = List()
        }
        if (isInlineList(this.ctx[keyword])) {
          throw this.error(new TomlError("Can't extend an inline array"))
        } else if (isList(this.ctx[keyword])) {
          const next = Table()
          this.ctx[keyword].push(next)
          this.ctx = next
        } else {
          throw this.error(new TomlError("Can't redefine an existing key"))
        }
        return this.next(this.parseListEnd)
      } else if (this.char === CHAR_PERIOD) {
        if (!hasKey(this.ctx, keyword)) {
          this.ctx = this.ctx[keyword] = Table()
        } else if (isInlineList(this.ctx[keyword])) {
          throw this.error(new TomlError("Can't extend an inline array"))
        } else if (isInlineTable(this.ctx[keyword])) {
          throw this.error(new TomlError("Can't extend an inline table"))
        } else if (isList(this.ctx[keyword])) {
          this.ctx = this.ctx[keyword][this.ctx[keyword].length - 1]
        } else if (isTable(this.ctx[keyword])) {
          this.ctx = this.ctx[keyword]
        } else {
          throw this.error(new TomlError("Can't redefine an existing key"))
        }
        return this.next(this.parseListNext)
      } else {
        throw this.error(new TomlError('Unexpected character, expected whitespace, . or ]'))
      }
    }
    parseListEnd (keyword) {
      if (this.char === CHAR_RSQB) {
        return this.next(this.parseWhitespaceToEOL)
      } else {
        throw this.error(new TomlError('Unexpected character, expected whitespace, . or ]'))
      }
    }

    /* VALUE string, number, boolean, inline list, inline object */
    parseValue () {
      if (this.char === Parser.END) {
        throw this.error(new TomlError('Key without value'))
      } else if (this.char === CHAR_QUOT) {
        return this.next(this.parseDoubleString)
      } if (this.char === CHAR_APOS) {
        return this.next(this.parseSingleString)
      } else if (this.char === CHAR_HYPHEN || this.char === CHAR_PLUS) {
        return this.goto(this.parseNumberSign)
      } else if (this.char === CHAR_i) {
        return this.next(this.parseInf)
      } else if (this.char === CHAR_n) {
        return this.next(this.parseNan)
      } else if (isDigit(this.char)) {
        return this.goto(this.parseNumberOrDateTime)
      } else if (this.char === CHAR_t || this.char === CHAR_f) {
        return this.goto(this.parseBoolean)
      } else if (this.char === CHAR_LSQB) {
        return this.call(this.parseInlineList, this.recordValue)
      } else if (this.char === CHAR_LCUB) {
        return this.call(this.parseInlineTable, this.recordValue)
      } else {
        throw this.error(new TomlError('Unexpected character, expecting string, number, datetime, boolean, inline array or inline table'))
      }
    }
    recordValue (value) {
      return this.returnNow(value)
    }

    parseInf () {
      if (this.char === CHAR_n) {
        return this.next(this.parseInf2)
      } else {
        throw this.error(new TomlError('Unexpected character, expected "inf", "+inf" or "-inf"'))
      }
    }
    parseInf2 () {
      if (this.char === CHAR_f) {
        if (this.state.buf === '-') {
          return this.return(-Infinity)
        } else {
          return this.return(Infinity)
        }
      } else {
        throw this.error(new TomlError('Unexpected character, expected "inf", "+inf" or "-inf"'))
      }
    }

    parseNan () {
      if (this.char === CHAR_a) {
        return this.next(this.parseNan2)
      } else {
        throw this.error(new TomlError('Unexpected character, expected "nan"'))
      }
    }
    parseNan2 () {
      if (this.char === CHAR_n) {
        return this.return(NaN)
      } else {
        throw this.error(new TomlError('Unexpected character, expected "nan"'))
      }
    }

    /* KEYS, barewords or basic, literal, or dotted */
    parseKeyword () {
      if (this.char === CHAR_QUOT) {
        return this.next(this.parseBasicString)
      } else if (this.char === CHAR_APOS) {
        return this.next(this.parseLiteralString)
      } else {
        return this.goto(this.parseBareKey)
      }
    }

    /* KEYS: barewords */
    parseBareKey () {
      do {
        if (this.char === Parser.END) {
          throw this.error(new TomlError('Key ended without value'))
        } else if (isAlphaNumHyphen(this.char)) {
          this.consume()
        } else if (this.state.buf.length === 0) {
          throw this.error(new TomlError('Empty bare keys are not allowed'))
        } else {
          return this.returnNow()
        }
      } while (this.nextChar())
    }

    /* STRINGS, single quoted (literal) */
    parseSingleString () {
      if (this.char === CHAR_APOS) {
        return this.next(this.parseLiteralMultiStringMaybe)
      } else {
        return this.goto(this.parseLiteralString)
      }
    }
    parseLiteralString () {
      do {
        if (this.char === CHAR_APOS) {
          return this.return()
        } else if (this.atEndOfLine()) {
          throw this.error(new TomlError('Unterminated string'))
        } else if (this.char === CHAR_DEL || (this.char <= CTRL_CHAR_BOUNDARY && this.char !== CTRL_I)) {
          throw this.errorControlCharIn('strings')
        } else {
          this.consume()
        }
      } while (this.nextChar())
    }
    parseLiteralMultiStringMaybe () {
      if (this.char === CHAR_APOS) {
        return this.next(this.parseLiteralMultiString)
      } else {
        return this.returnNow()
      }
    }
    parseLiteralMultiString () {
      if (this.char === CTRL_M) {
        return null
      } else if (this.char === CTRL_J) {
        return this.next(this.parseLiteralMultiStringContent)
      } else {
        return this.goto(this.parseLiteralMultiStringContent)
      }
    }
    parseLiteralMultiStringContent () {
      do {
        if (this.char === CHAR_APOS) {
          return this.next(this.parseLiteralMultiEnd)
        } else if (this.char === Parser.END) {
          throw this.error(new TomlError('Unterminated multi-line string'))
        } else if (this.char === CHAR_DEL || (this.char <= CTRL_CHAR_BOUNDARY && this.char !== CTRL_I && this.char !== CTRL_J && this.char !== CTRL_M)) {
          throw this.errorControlCharIn('strings')
        } else {
          this.consume()
        }
      } while (this.nextChar())
    }
    parseLiteralMultiEnd () {
      if (this.char === CHAR_APOS) {
        return this.next(this.parseLiteralMultiEnd2)
      } else {
        this.state.buf += "'"
        return this.goto(this.parseLiteralMultiStringContent)
      }
    }
    parseLiteralMultiEnd2 () {
      if (this.char === CHAR_APOS) {
        return this.next(this.parseLiteralMultiEnd3)
      } else {
        this.state.buf += "''"
        return this.goto(this.parseLiteralMultiStringContent)
      }
    }
    parseLiteralMultiEnd3 () {
      if (this.char === CHAR_APOS) {
        this.state.buf += "'"
        return this.next(this.parseLiteralMultiEnd4)
      } else {
        return this.returnNow()
      }
    }
    parseLiteralMultiEnd4 () {
      if (this.char === CHAR_APOS) {
        this.state.buf += "'"
        return this.return()
      } else {
        return this.returnNow()
      }
    }

    /* STRINGS double quoted */
    parseDoubleString () {
      if (this.char === CHAR_QUOT) {
        return this.next(this.parseMultiStringMaybe)
      } else {
        return this.goto(this.parseBasicString)
      }
    }
    parseBasicString () {
      do {
        if (this.char === CHAR_BSOL) {
          return this.call(this.parseEscape, this.recordEscapeReplacement)
        } else if (this.char === CHAR_QUOT) {
          return this.return()
        } else if (this.atEndOfLine()) {
          throw this.error(new TomlError('Unterminated string'))
        } else if (this.char === CHAR_DEL || (this.char <= CTRL_CHAR_BOUNDARY && this.char !== CTRL_I)) {
          throw this.errorControlCharIn('strings')
        } else {
          this.consume()
        }
      } while (this.nextChar())
    }
    recordEscapeReplacement (replacement) {
      this.state.buf += replacement
      return this.goto(this.parseBasicString)
    }
    parseMultiStringMaybe () {
      if (this.char === CHAR_QUOT) {
        return this.next(this.parseMultiString)
      } else {
        return this.returnNow()
      }
    }
    parseMultiString () {
      if (this.char === CTRL_M) {
        return null
      } else if (this.char === CTRL_J) {
        return this.next(this.parseMultiStringContent)
      } else {
        return this.goto(this.parseMultiStringContent)
      }
    }
    parseMultiStringContent () {
      do {
        if (this.char === CHAR_BSOL) {
          return this.call(this.parseMultiEscape, this.recordMultiEscapeReplacement)
        } else if (this.char === CHAR_QUOT) {
          return this.next(this.parseMultiEnd)
        } else if (this.char === Parser.END) {
          throw this.error(new TomlError('Unterminated multi-line string'))
        } else if (this.char === CHAR_DEL || (this.char <= CTRL_CHAR_BOUNDARY && this.char !== CTRL_I && this.char !== CTRL_J && this.char !== CTRL_M)) {
          throw this.errorControlCharIn('strings')
        } else {
          this.consume()
        }
      } while (this.nextChar())
    }
    errorControlCharIn (type) {
      let displayCode = '\\u00'
      if (this.char < 16) {
        displayCode += '0'
      }
      displayCode += this.char.toString(16)

      return this.error(new TomlError(`Control characters (codes < 0x1f and 0x7f) are not allowed in ${type}, use ${displayCode} instead`))
    }
    recordMultiEscapeReplacement (replacement) {
      this.state.buf += replacement
      return this.goto(this.parseMultiStringContent)
    }
    parseMultiEnd () {
      if (this.char === CHAR_QUOT) {
        return this.next(this.parseMultiEnd2)
      } else {
        this.state.buf += '"'
        return this.goto(this.parseMultiStringContent)
      }
    }
    parseMultiEnd2 () {
      if (this.char === CHAR_QUOT) {
        return this.next(this.parseMultiEnd3)
      } else {
        this.state.buf += '""'
        return this.goto(this.parseMultiStringContent)
      }
    }
    parseMultiEnd3 () {
      if (this.char === CHAR_QUOT) {
        this.state.buf += '"'
        return this.next(this.parseMultiEnd4)
      } else {
        return this.returnNow()
      }
    }
    parseMultiEnd4 () {
      if (this.char === CHAR_QUOT) {
        this.state.buf += '"'
        return this.return()
      } else {
        return this.returnNow()
      }
    }
    parseMultiEscape () {
      if (this.char === CTRL_M || this.char === CTRL_J) {
        return this.next(this.parseMultiTrim)
      } else if (this.char === CHAR_SP || this.char === CTRL_I) {
        return this.next(this.parsePreMultiTrim)
      } else {
        return this.goto(this.parseEscape)
      }
    }
    parsePreMultiTrim () {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else if (this.char === CTRL_M || this.char === CTRL_J) {
        return this.next(this.parseMultiTrim)
      } else {
        throw this.error(new TomlError("Can't escape whitespace"))
      }
    }
    parseMultiTrim () {
      // explicitly whitespace here, END should follow the same path as chars
      if (this.char === CTRL_J || this.char === CHAR_SP || this.char === CTRL_I || this.char === CTRL_M) {
        return null
      } else {
        return this.returnNow()
      }
    }
    parseEscape () {
      if (this.char in escapes) {
        return this.return(escapes[this.char])
      } else if (this.char === CHAR_u) {
        return this.call(this.parseSmallUnicode, this.parseUnicodeReturn)
      } else if (this.char === CHAR_U) {
        return this.call(this.parseLargeUnicode, this.parseUnicodeReturn)
      } else {
        throw this.error(new TomlError('Unknown escape character: ' + this.char))
      }
    }
    parseUnicodeReturn (char) {
      try {
        const codePoint = parseInt(char, 16)
        if (codePoint >= SURROGATE_FIRST && codePoint <= SURROGATE_LAST) {
          throw this.error(new TomlError('Invalid unicode, character in range 0xD800 - 0xDFFF is reserved'))
        }
        return this.returnNow(String.fromCodePoint(codePoint))
      } catch (err) {
        throw this.error(TomlError.wrap(err))
      }
    }
    parseSmallUnicode () {
      if (!isHexit(this.char)) {
        throw this.error(new TomlError('Invalid character in unicode sequence, expected hex'))
      } else {
        this.consume()
        if (this.state.buf.length >= 4) return this.return()
      }
    }
    parseLargeUnicode () {
      if (!isHexit(this.char)) {
        throw this.error(new TomlError('Invalid character in unicode sequence, expected hex'))
      } else {
        this.consume()
        if (this.state.buf.length >= 8) return this.return()
      }
    }

    /* NUMBERS */
    parseNumberSign () {
      this.consume()
      return this.next(this.parseMaybeSignedInfOrNan)
    }
    parseMaybeSignedInfOrNan () {
      if (this.char === CHAR_i) {
        return this.next(this.parseInf)
      } else if (this.char === CHAR_n) {
        return this.next(this.parseNan)
      } else {
        return this.callNow(this.parseNoUnder, this.parseNumberIntegerStart)
      }
    }
    parseNumberIntegerStart () {
      if (this.char === CHAR_0) {
        this.consume()
        return this.next(this.parseNumberIntegerExponentOrDecimal)
      } else {
        return this.goto(this.parseNumberInteger)
      }
    }
    parseNumberIntegerExponentOrDecimal () {
      if (this.char === CHAR_PERIOD) {
        this.consume()
        return this.call(this.parseNoUnder, this.parseNumberFloat)
      } else if (this.char === CHAR_E || this.char === CHAR_e) {
        this.consume()
        return this.next(this.parseNumberExponentSign)
      } else {
        return this.returnNow(Integer(this.state.buf))
      }
    }
    parseNumberInteger () {
      if (isDigit(this.char)) {
        this.consume()
      } else if (this.char === CHAR_LOWBAR) {
        return this.call(this.parseNoUnder)
      } else if (this.char === CHAR_E || this.char === CHAR_e) {
        this.consume()
        return this.next(this.parseNumberExponentSign)
      } else if (this.char === CHAR_PERIOD) {
        this.consume()
        return this.call(this.parseNoUnder, this.parseNumberFloat)
      } else {
        const result = Integer(this.state.buf)
        /* istanbul ignore if */
        if (result.isNaN()) {
          throw this.error(new TomlError('Invalid number'))
        } else {
          return this.returnNow(result)
        }
      }
    }
    parseNoUnder () {
      if (this.char === CHAR_LOWBAR || this.char === CHAR_PERIOD || this.char === CHAR_E || this.char === CHAR_e) {
        throw this.error(new TomlError('Unexpected character, expected digit'))
      } else if (this.atEndOfWord()) {
        throw this.error(new TomlError('Incomplete number'))
      }
      return this.returnNow()
    }
    parseNoUnderHexOctBinLiteral () {
      if (this.char === CHAR_LOWBAR || this.char === CHAR_PERIOD) {
        throw this.error(new TomlError('Unexpected character, expected digit'))
      } else if (this.atEndOfWord()) {
        throw this.error(new TomlError('Incomplete number'))
      }
      return this.returnNow()
    }
    parseNumberFloat () {
      if (this.char === CHAR_LOWBAR) {
        return this.call(this.parseNoUnder, this.parseNumberFloat)
      } else if (isDigit(this.char)) {
        this.consume()
      } else if (this.char === CHAR_E || this.char === CHAR_e) {
        this.consume()
        return this.next(this.parseNumberExponentSign)
      } else {
        return this.returnNow(Float(this.state.buf))
      }
    }
    parseNumberExponentSign () {
      if (isDigit(this.char)) {
        return this.goto(this.parseNumberExponent)
      } else if (this.char === CHAR_HYPHEN || this.char === CHAR_PLUS) {
        this.consume()
        this.call(this.parseNoUnder, this.parseNumberExponent)
      } else {
        throw this.error(new TomlError('Unexpected character, expected -, + or digit'))
      }
    }
    parseNumberExponent () {
      if (isDigit(this.char)) {
        this.consume()
      } else if (this.char === CHAR_LOWBAR) {
        return this.call(this.parseNoUnder)
      } else {
        return this.returnNow(Float(this.state.buf))
      }
    }

    /* NUMBERS or DATETIMES  */
    parseNumberOrDateTime () {
      if (this.char === CHAR_0) {
        this.consume()
        return this.next(this.parseNumberBaseOrDateTime)
      } else {
        return this.goto(this.parseNumberOrDateTimeOnly)
      }
    }
    parseNumberOrDateTimeOnly () {
      // note, if two zeros are in a row then it MUST be a date
      if (this.char === CHAR_LOWBAR) {
        return this.call(this.parseNoUnder, this.parseNumberInteger)
      } else if (isDigit(this.char)) {
        this.consume()
        if (this.state.buf.length > 4) this.next(this.parseNumberInteger)
      } else if (this.char === CHAR_E || this.char === CHAR_e) {
        this.consume()
        return this.next(this.parseNumberExponentSign)
      } else if (this.char === CHAR_PERIOD) {
        this.consume()
        return this.call(this.parseNoUnder, this.parseNumberFloat)
      } else if (this.char === CHAR_HYPHEN) {
        return this.goto(this.parseDateTime)
      } else if (this.char === CHAR_COLON) {
        return this.goto(this.parseOnlyTimeHour)
      } else {
        return this.returnNow(Integer(this.state.buf))
      }
    }
    parseDateTimeOnly () {
      if (this.state.buf.length < 4) {
        if (isDigit(this.char)) {
          return this.consume()
        } else if (this.char === CHAR_COLON) {
          return this.goto(this.parseOnlyTimeHour)
        } else {
          throw this.error(new TomlError('Expected digit while parsing year part of a date'))
        }
      } else {
        if (this.char === CHAR_HYPHEN) {
          return this.goto(this.parseDateTime)
        } else {
          throw this.error(new TomlError('Expected hyphen (-) while parsing year part of date'))
        }
      }
    }
    parseNumberBaseOrDateTime () {
      if (this.char === CHAR_b) {
        this.consume()
        return this.call(this.parseNoUnderHexOctBinLiteral, this.parseIntegerBin)
      } else if (this.char === CHAR_o) {
        this.consume()
        return this.call(this.parseNoUnderHexOctBinLiteral, this.parseIntegerOct)
      } else if (this.char === CHAR_x) {
        this.consume()
        return this.call(this.parseNoUnderHexOctBinLiteral, this.parseIntegerHex)
      } else if (this.char === CHAR_PERIOD) {
        return this.goto(this.parseNumberInteger)
      } else if (isDigit(this.char)) {
        return this.goto(this.parseDateTimeOnly)
      } else {
        return this.returnNow(Integer(this.state.buf))
      }
    }
    parseIntegerHex () {
      if (isHexit(this.char)) {
        this.consume()
      } else if (this.char === CHAR_LOWBAR) {
        return this.call(this.parseNoUnderHexOctBinLiteral)
      } else {
        const result = Integer(this.state.buf)
        /* istanbul ignore if */
        if (result.isNaN()) {
          throw this.error(new TomlError('Invalid number'))
        } else {
          return this.returnNow(result)
        }
      }
    }
    parseIntegerOct () {
      if (isOctit(this.char)) {
        this.consume()
      } else if (this.char === CHAR_LOWBAR) {
        return this.call(this.parseNoUnderHexOctBinLiteral)
      } else {
        const result = Integer(this.state.buf)
        /* istanbul ignore if */
        if (result.isNaN()) {
          throw this.error(new TomlError('Invalid number'))
        } else {
          return this.returnNow(result)
        }
      }
    }
    parseIntegerBin () {
      if (isBit(this.char)) {
        this.consume()
      } else if (this.char === CHAR_LOWBAR) {
        return this.call(this.parseNoUnderHexOctBinLiteral)
      } else {
        const result = Integer(this.state.buf)
        /* istanbul ignore if */
        if (result.isNaN()) {
          throw this.error(new TomlError('Invalid number'))
        } else {
          return this.returnNow(result)
        }
      }
    }

    /* DATETIME */
    parseDateTime () {
      // we enter here having just consumed the year and about to consume the hyphen
      if (this.state.buf.length < 4) {
        throw this.error(new TomlError('Years less than 1000 must be zero padded to four characters'))
      }
      this.state.result = this.state.buf
      this.state.buf = ''
      return this.next(this.parseDateMonth)
    }
    parseDateMonth () {
      if (this.char === CHAR_HYPHEN) {
        if (this.state.buf.length < 2) {
          throw this.error(new TomlError('Months less than 10 must be zero padded to two characters'))
        }
        this.state.result += '-' + this.state.buf
        this.state.buf = ''
        return this.next(this.parseDateDay)
      } else if (isDigit(this.char)) {
        this.consume()
      } else {
        throw this.error(new TomlError('Incomplete datetime'))
      }
    }
    parseDateDay () {
      if (this.char === CHAR_T || this.char === CHAR_SP) {
        if (this.state.buf.length < 2) {
          throw this.error(new TomlError('Days less than 10 must be zero padded to two characters'))
        }
        this.state.result += '-' + this.state.buf
        this.state.buf = ''
        return this.next(this.parseStartTimeHour)
      } else if (this.atEndOfWord()) {
        return this.returnNow(createDate(this.state.result + '-' + this.state.buf))
      } else if (isDigit(this.char)) {
        this.consume()
      } else {
        throw this.error(new TomlError('Incomplete datetime'))
      }
    }
    parseStartTimeHour () {
      if (this.atEndOfWord()) {
        return this.returnNow(createDate(this.state.result))
      } else {
        return this.goto(this.parseTimeHour)
      }
    }
    parseTimeHour () {
      if (this.char === CHAR_COLON) {
        if (this.state.buf.length < 2) {
          throw this.error(new TomlError('Hours less than 10 must be zero padded to two characters'))
        }
        this.state.result += 'T' + this.state.buf
        this.state.buf = ''
        return this.next(this.parseTimeMin)
      } else if (isDigit(this.char)) {
        this.consume()
      } else {
        throw this.error(new TomlError('Incomplete datetime'))
      }
    }
    parseTimeMin () {
      if (this.state.buf.length < 2 && isDigit(this.char)) {
        this.consume()
      } else if (this.state.buf.length === 2 && this.char === CHAR_COLON) {
        this.state.result += ':' + this.state.buf
        this.state.buf = ''
        return this.next(this.parseTimeSec)
      } else {
        throw this.error(new TomlError('Incomplete datetime'))
      }
    }
    parseTimeSec () {
      if (isDigit(this.char)) {
        this.consume()
        if (this.state.buf.length === 2) {
          this.state.result += ':' + this.state.buf
          this.state.buf = ''
          return this.next(this.parseTimeZoneOrFraction)
        }
      } else {
        throw this.error(new TomlError('Incomplete datetime'))
      }
    }

    parseOnlyTimeHour () {
      /* istanbul ignore else */
      if (this.char === CHAR_COLON) {
        if (this.state.buf.length < 2) {
          throw this.error(new TomlError('Hours less than 10 must be zero padded to two characters'))
        }
        this.state.result = this.state.buf
        this.state.buf = ''
        return this.next(this.parseOnlyTimeMin)
      } else {
        throw this.error(new TomlError('Incomplete time'))
      }
    }
    parseOnlyTimeMin () {
      if (this.state.buf.length < 2 && isDigit(this.char)) {
        this.consume()
      } else if (this.state.buf.length === 2 && this.char === CHAR_COLON) {
        this.state.result += ':' + this.state.buf
        this.state.buf = ''
        return this.next(this.parseOnlyTimeSec)
      } else {
        throw this.error(new TomlError('Incomplete time'))
      }
    }
    parseOnlyTimeSec () {
      if (isDigit(this.char)) {
        this.consume()
        if (this.state.buf.length === 2) {
          return this.next(this.parseOnlyTimeFractionMaybe)
        }
      } else {
        throw this.error(new TomlError('Incomplete time'))
      }
    }
    parseOnlyTimeFractionMaybe () {
      this.state.result += ':' + this.state.buf
      if (this.char === CHAR_PERIOD) {
        this.state.buf = ''
        this.next(this.parseOnlyTimeFraction)
      } else {
        return this.return(createTime(this.state.result))
      }
    }
    parseOnlyTimeFraction () {
      if (isDigit(this.char)) {
        this.consume()
      } else if (this.atEndOfWord()) {
        if (this.state.buf.length === 0) throw this.error(new TomlError('Expected digit in milliseconds'))
        return this.returnNow(createTime(this.state.result + '.' + this.state.buf))
      } else {
        throw this.error(new TomlError('Unexpected character in datetime, expected period (.), minus (-), plus (+) or Z'))
      }
    }

    parseTimeZoneOrFraction () {
      if (this.char === CHAR_PERIOD) {
        this.consume()
        this.next(this.parseDateTimeFraction)
      } else if (this.char === CHAR_HYPHEN || this.char === CHAR_PLUS) {
        this.consume()
        this.next(this.parseTimeZoneHour)
      } else if (this.char === CHAR_Z) {
        this.consume()
        return this.return(createDateTime(this.state.result + this.state.buf))
      } else if (this.atEndOfWord()) {
        return this.returnNow(createDateTimeFloat(this.state.result + this.state.buf))
      } else {
        throw this.error(new TomlError('Unexpected character in datetime, expected period (.), minus (-), plus (+) or Z'))
      }
    }
    parseDateTimeFraction () {
      if (isDigit(this.char)) {
        this.consume()
      } else if (this.state.buf.length === 1) {
        throw this.error(new TomlError('Expected digit in milliseconds'))
      } else if (this.char === CHAR_HYPHEN || this.char === CHAR_PLUS) {
        this.consume()
        this.next(this.parseTimeZoneHour)
      } else if (this.char === CHAR_Z) {
        this.consume()
        return this.return(createDateTime(this.state.result + this.state.buf))
      } else if (this.atEndOfWord()) {
        return this.returnNow(createDateTimeFloat(this.state.result + this.state.buf))
      } else {
        throw this.error(new TomlError('Unexpected character in datetime, expected period (.), minus (-), plus (+) or Z'))
      }
    }
    parseTimeZoneHour () {
      if (isDigit(this.char)) {
        this.consume()
        // FIXME: No more regexps
        if (/\d\d$/.test(this.state.buf)) return this.next(this.parseTimeZoneSep)
      } else {
        throw this.error(new TomlError('Unexpected character in datetime, expected digit'))
      }
    }
    parseTimeZoneSep () {
      if (this.char === CHAR_COLON) {
        this.consume()
        this.next(this.parseTimeZoneMin)
      } else {
        throw this.error(new TomlError('Unexpected character in datetime, expected colon'))
      }
    }
    parseTimeZoneMin () {
      if (isDigit(this.char)) {
        this.consume()
        if (/\d\d$/.test(this.state.buf)) return this.return(createDateTime(this.state.result + this.state.buf))
      } else {
        throw this.error(new TomlError('Unexpected character in datetime, expected digit'))
      }
    }

    /* BOOLEAN */
    parseBoolean () {
      /* istanbul ignore else */
      if (this.char === CHAR_t) {
        this.consume()
        return this.next(this.parseTrue_r)
      } else if (this.char === CHAR_f) {
        this.consume()
        return this.next(this.parseFalse_a)
      }
    }
    parseTrue_r () {
      if (this.char === CHAR_r) {
        this.consume()
        return this.next(this.parseTrue_u)
      } else {
        throw this.error(new TomlError('Invalid boolean, expected true or false'))
      }
    }
    parseTrue_u () {
      if (this.char === CHAR_u) {
        this.consume()
        return this.next(this.parseTrue_e)
      } else {
        throw this.error(new TomlError('Invalid boolean, expected true or false'))
      }
    }
    parseTrue_e () {
      if (this.char === CHAR_e) {
        return this.return(true)
      } else {
        throw this.error(new TomlError('Invalid boolean, expected true or false'))
      }
    }

    parseFalse_a () {
      if (this.char === CHAR_a) {
        this.consume()
        return this.next(this.parseFalse_l)
      } else {
        throw this.error(new TomlError('Invalid boolean, expected true or false'))
      }
    }

    parseFalse_l () {
      if (this.char === CHAR_l) {
        this.consume()
        return this.next(this.parseFalse_s)
      } else {
        throw this.error(new TomlError('Invalid boolean, expected true or false'))
      }
    }

    parseFalse_s () {
      if (this.char === CHAR_s) {
        this.consume()
        return this.next(this.parseFalse_e)
      } else {
        throw this.error(new TomlError('Invalid boolean, expected true or false'))
      }
    }

    parseFalse_e () {
      if (this.char === CHAR_e) {
        return this.return(false)
      } else {
        throw this.error(new TomlError('Invalid boolean, expected true or false'))
      }
    }

    /* INLINE LISTS */
    parseInlineList () {
      if (this.char === CHAR_SP || this.char === CTRL_I || this.char === CTRL_M || this.char === CTRL_J) {
        return null
      } else if (this.char === Parser.END) {
        throw this.error(new TomlError('Unterminated inline array'))
      } else if (this.char === CHAR_NUM) {
        return this.call(this.parseComment)
      } else if (this.char === CHAR_RSQB) {
        return this.return(this.state.resultArr || InlineList())
      } else {
        return this.callNow(this.parseValue, this.recordInlineListValue)
      }
    }
    recordInlineListValue (value) {
      if (!this.state.resultArr) {
        this.state.resultArr = InlineList(tomlType(value))
      }
      if (isFloat(value) || isInteger(value)) {
        // unbox now that we've verified they're ok
        this.state.resultArr.push(value.valueOf())
      } else {
        this.state.resultArr.push(value)
      }
      return this.goto(this.parseInlineListNext)
    }
    parseInlineListNext () {
      if (this.char === CHAR_SP || this.char === CTRL_I || this.char === CTRL_M || this.char === CTRL_J) {
        return null
      } else if (this.char === CHAR_NUM) {
        return this.call(this.parseComment)
      } else if (this.char === CHAR_COMMA) {
        return this.next(this.parseInlineList)
      } else if (this.char === CHAR_RSQB) {
        return this.goto(this.parseInlineList)
      } else {
        throw this.error(new TomlError('Invalid character, expected whitespace, comma (,) or close bracket (])'))
      }
    }

    /* INLINE TABLE */
    parseInlineTable () {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else if (this.char === Parser.END || this.char === CHAR_NUM || this.char === CTRL_J || this.char === CTRL_M) {
        throw this.error(new TomlError('Unterminated inline array'))
      } else if (this.char === CHAR_RCUB) {
        return this.return(this.state.resultTable || InlineTable())
      } else {
        if (!this.state.resultTable) this.state.resultTable = InlineTable()
        return this.callNow(this.parseAssign, this.recordInlineTableValue)
      }
    }
    recordInlineTableValue (kv) {
      let target = this.state.resultTable
      let finalKey = kv.key.pop()
      for (let kw of kv.key) {
        if (hasKey(target, kw) && (!isTable(target[kw]) || target[kw][_declared])) {
          throw this.error(new TomlError("Can't redefine existing key"))
        }
        target = target[kw] = target[kw] || Table()
      }
      if (hasKey(target, finalKey)) {
        throw this.error(new TomlError("Can't redefine existing key"))
      }
      if (isInteger(kv.value) || isFloat(kv.value)) {
        target[finalKey] = kv.value.valueOf()
      } else {
        target[finalKey] = kv.value
      }
      return this.goto(this.parseInlineTableNext)
    }
    parseInlineTableNext () {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else if (this.char === Parser.END || this.char === CHAR_NUM || this.char === CTRL_J || this.char === CTRL_M) {
        throw this.error(new TomlError('Unterminated inline array'))
      } else if (this.char === CHAR_COMMA) {
        return this.next(this.parseInlineTablePostComma)
      } else if (this.char === CHAR_RCUB) {
        return this.goto(this.parseInlineTable)
      } else {
        throw this.error(new TomlError('Invalid character, expected whitespace, comma (,) or close bracket (])'))
      }
    }
    parseInlineTablePostComma () {
      if (this.char === CHAR_SP || this.char === CTRL_I) {
        return null
      } else if (this.char === Parser.END || this.char === CHAR_NUM || this.char === CTRL_J || this.char === CTRL_M) {
        throw this.error(new TomlError('Unterminated inline array'))
      } else if (this.char === CHAR_COMMA) {
        throw this.error(new TomlError('Empty elements in inline tables are not permitted'))
      } else if (this.char === CHAR_RCUB) {
        throw this.error(new TomlError('Trailing commas in inline tables are not permitted'))
      } else {
        return this.goto(this.parseInlineTable)
      }
    }
  }
  return TOMLParser
}


/***/ }),

/***/ 72:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


module.exports = parseAsync

const TOMLParser = __nccwpck_require__(862)
const prettyError = __nccwpck_require__(349)

function parseAsync (str, opts) {
  if (!opts) opts = {}
  const index = 0
  const blocksize = opts.blocksize || 40960
  const parser = new TOMLParser()
  return new Promise((resolve, reject) => {
    setImmediate(parseAsyncNext, index, blocksize, resolve, reject)
  })
  function parseAsyncNext (index, blocksize, resolve, reject) {
    if (index >= str.length) {
      try {
        return resolve(parser.finish())
      } catch (err) {
        return reject(prettyError(err, str))
      }
    }
    try {
      parser.parse(str.slice(index, index + blocksize))
      setImmediate(parseAsyncNext, index + blocksize, blocksize, resolve, reject)
    } catch (err) {
      reject(prettyError(err, str))
    }
  }
}


/***/ }),

/***/ 349:
/***/ ((module) => {


module.exports = prettyError

function prettyError (err, buf) {
  /* istanbul ignore if */
  if (err.pos == null || err.line == null) return err
  let msg = err.message
  msg += ` at row ${err.line + 1}, col ${err.col + 1}, pos ${err.pos}:\n`

  /* istanbul ignore else */
  if (buf && buf.split) {
    const lines = buf.split(/\n/)
    const lineNumWidth = String(Math.min(lines.length, err.line + 3)).length
    let linePadding = ' '
    while (linePadding.length < lineNumWidth) linePadding += ' '
    for (let ii = Math.max(0, err.line - 1); ii < Math.min(lines.length, err.line + 2); ++ii) {
      let lineNum = String(ii + 1)
      if (lineNum.length < lineNumWidth) lineNum = ' ' + lineNum
      if (err.line === ii) {
        msg += lineNum + '> ' + lines[ii] + '\n'
        msg += linePadding + '  '
        for (let hh = 0; hh < err.col; ++hh) {
          msg += ' '
        }
        msg += '^\n'
      } else {
        msg += lineNum + ': ' + lines[ii] + '\n'
      }
    }
  }
  err.message = msg + '\n'
  return err
}


/***/ }),

/***/ 874:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


module.exports = parseStream

const stream = __nccwpck_require__(203)
const TOMLParser = __nccwpck_require__(862)

function parseStream (stm) {
  if (stm) {
    return parseReadable(stm)
  } else {
    return parseTransform(stm)
  }
}

function parseReadable (stm) {
  const parser = new TOMLParser()
  stm.setEncoding('utf8')
  return new Promise((resolve, reject) => {
    let readable
    let ended = false
    let errored = false
    function finish () {
      ended = true
      if (readable) return
      try {
        resolve(parser.finish())
      } catch (err) {
        reject(err)
      }
    }
    function error (err) {
      errored = true
      reject(err)
    }
    stm.once('end', finish)
    stm.once('error', error)
    readNext()

    function readNext () {
      readable = true
      let data
      while ((data = stm.read()) !== null) {
        try {
          parser.parse(data)
        } catch (err) {
          return error(err)
        }
      }
      readable = false
      /* istanbul ignore if */
      if (ended) return finish()
      /* istanbul ignore if */
      if (errored) return
      stm.once('readable', readNext)
    }
  })
}

function parseTransform () {
  const parser = new TOMLParser()
  return new stream.Transform({
    objectMode: true,
    transform (chunk, encoding, cb) {
      try {
        parser.parse(chunk.toString(encoding))
      } catch (err) {
        this.emit('error', err)
      }
      cb()
    },
    flush (cb) {
      try {
        this.push(parser.finish())
      } catch (err) {
        this.emit('error', err)
      }
      cb()
    }
  })
}


/***/ }),

/***/ 171:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


module.exports = parseString

const TOMLParser = __nccwpck_require__(862)
const prettyError = __nccwpck_require__(349)

function parseString (str) {
  if (global.Buffer && global.Buffer.isBuffer(str)) {
    str = str.toString('utf8')
  }
  const parser = new TOMLParser()
  try {
    parser.parse(str)
    return parser.finish()
  } catch (err) {
    throw prettyError(err, str)
  }
}


/***/ }),

/***/ 185:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {


module.exports = __nccwpck_require__(171)
module.exports.async = __nccwpck_require__(72)
module.exports.stream = __nccwpck_require__(874)
module.exports.prettyError = __nccwpck_require__(349)


/***/ }),

/***/ 887:
/***/ ((module) => {


module.exports = stringify
module.exports.value = stringifyInline

function stringify (obj) {
  if (obj === null) throw typeError('null')
  if (obj === void (0)) throw typeError('undefined')
  if (typeof obj !== 'object') throw typeError(typeof obj)

  if (typeof obj.toJSON === 'function') obj = obj.toJSON()
  if (obj == null) return null
  const type = tomlType(obj)
  if (type !== 'table') throw typeError(type)
  return stringifyObject('', '', obj)
}

function typeError (type) {
  return new Error('Can only stringify objects, not ' + type)
}

function getInlineKeys (obj) {
  return Object.keys(obj).filter(key => isInline(obj[key]))
}
function getComplexKeys (obj) {
  return Object.keys(obj).filter(key => !isInline(obj[key]))
}

function toJSON (obj) {
  let nobj = Array.isArray(obj) ? [] : Object.prototype.hasOwnProperty.call(obj, '__proto__') ? {['__proto__']: undefined} : {}
  for (let prop of Object.keys(obj)) {
    if (obj[prop] && typeof obj[prop].toJSON === 'function' && !('toISOString' in obj[prop])) {
      nobj[prop] = obj[prop].toJSON()
    } else {
      nobj[prop] = obj[prop]
    }
  }
  return nobj
}

function stringifyObject (prefix, indent, obj) {
  obj = toJSON(obj)
  let inlineKeys
  let complexKeys
  inlineKeys = getInlineKeys(obj)
  complexKeys = getComplexKeys(obj)
  const result = []
  const inlineIndent = indent || ''
  inlineKeys.forEach(key => {
    var type = tomlType(obj[key])
    if (type !== 'undefined' && type !== 'null') {
      result.push(inlineIndent + stringifyKey(key) + ' = ' + stringifyAnyInline(obj[key], true))
    }
  })
  if (result.length > 0) result.push('')
  const complexIndent = prefix && inlineKeys.length > 0 ? indent + '  ' : ''
  complexKeys.forEach(key => {
    result.push(stringifyComplex(prefix, complexIndent, key, obj[key]))
  })
  return result.join('\n')
}

function isInline (value) {
  switch (tomlType(value)) {
    case 'undefined':
    case 'null':
    case 'integer':
    case 'nan':
    case 'float':
    case 'boolean':
    case 'string':
    case 'datetime':
      return true
    case 'array':
      return value.length === 0 || tomlType(value[0]) !== 'table'
    case 'table':
      return Object.keys(value).length === 0
    /* istanbul ignore next */
    default:
      return false
  }
}

function tomlType (value) {
  if (value === undefined) {
    return 'undefined'
  } else if (value === null) {
    return 'null'
  /* eslint-disable valid-typeof */
  } else if (typeof value === 'bigint' || (Number.isInteger(value) && !Object.is(value, -0))) {
    return 'integer'
  } else if (typeof value === 'number') {
    return 'float'
  } else if (typeof value === 'boolean') {
    return 'boolean'
  } else if (typeof value === 'string') {
    return 'string'
  } else if ('toISOString' in value) {
    return isNaN(value) ? 'undefined' : 'datetime'
  } else if (Array.isArray(value)) {
    return 'array'
  } else {
    return 'table'
  }
}

function stringifyKey (key) {
  const keyStr = String(key)
  if (/^[-A-Za-z0-9_]+$/.test(keyStr)) {
    return keyStr
  } else {
    return stringifyBasicString(keyStr)
  }
}

function stringifyBasicString (str) {
  return '"' + escapeString(str).replace(/"/g, '\\"') + '"'
}

function stringifyLiteralString (str) {
  return "'" + str + "'"
}

function numpad (num, str) {
  while (str.length < num) str = '0' + str
  return str
}

function escapeString (str) {
  return str.replace(/\\/g, '\\\\')
    .replace(/[\b]/g, '\\b')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\f/g, '\\f')
    .replace(/\r/g, '\\r')
    /* eslint-disable no-control-regex */
    .replace(/([\u0000-\u001f\u007f])/, c => '\\u' + numpad(4, c.codePointAt(0).toString(16)))
    /* eslint-enable no-control-regex */
}

function stringifyMultilineString (str) {
  let escaped = str.split(/\n/).map(str => {
    return escapeString(str).replace(/"(?="")/g, '\\"')
  }).join('\n')
  if (escaped.slice(-1) === '"') escaped += '\\\n'
  return '"""\n' + escaped + '"""'
}

function stringifyAnyInline (value, multilineOk) {
  let type = tomlType(value)
  if (type === 'string') {
    if (multilineOk && /\n/.test(value)) {
      type = 'string-multiline'
    } else if (!/[\b\t\n\f\r']/.test(value) && /"/.test(value)) {
      type = 'string-literal'
    }
  }
  return stringifyInline(value, type)
}

function stringifyInline (value, type) {
  /* istanbul ignore if */
  if (!type) type = tomlType(value)
  switch (type) {
    case 'string-multiline':
      return stringifyMultilineString(value)
    case 'string':
      return stringifyBasicString(value)
    case 'string-literal':
      return stringifyLiteralString(value)
    case 'integer':
      return stringifyInteger(value)
    case 'float':
      return stringifyFloat(value)
    case 'boolean':
      return stringifyBoolean(value)
    case 'datetime':
      return stringifyDatetime(value)
    case 'array':
      return stringifyInlineArray(value.filter(_ => tomlType(_) !== 'null' && tomlType(_) !== 'undefined' && tomlType(_) !== 'nan'))
    case 'table':
      return stringifyInlineTable(value)
    /* istanbul ignore next */
    default:
      throw typeError(type)
  }
}

function stringifyInteger (value) {
  /* eslint-disable security/detect-unsafe-regex */
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '_')
}

function stringifyFloat (value) {
  if (value === Infinity) {
    return 'inf'
  } else if (value === -Infinity) {
    return '-inf'
  } else if (Object.is(value, NaN)) {
    return 'nan'
  } else if (Object.is(value, -0)) {
    return '-0.0'
  }
  const [int, dec] = String(value).split('.')
  return stringifyInteger(int) + '.' + dec
}

function stringifyBoolean (value) {
  return String(value)
}

function stringifyDatetime (value) {
  return value.toISOString()
}

function stringifyInlineArray (values) {
  values = toJSON(values)
  let result = '['
  const stringified = values.map(_ => stringifyInline(_))
  if (stringified.join(', ').length > 60 || /\n/.test(stringified)) {
    result += '\n  ' + stringified.join(',\n  ') + '\n'
  } else {
    result += ' ' + stringified.join(', ') + (stringified.length > 0 ? ' ' : '')
  }
  return result + ']'
}

function stringifyInlineTable (value) {
  value = toJSON(value)
  const result = []
  Object.keys(value).forEach(key => {
    result.push(stringifyKey(key) + ' = ' + stringifyAnyInline(value[key], false))
  })
  return '{ ' + result.join(', ') + (result.length > 0 ? ' ' : '') + '}'
}

function stringifyComplex (prefix, indent, key, value) {
  const valueType = tomlType(value)
  /* istanbul ignore else */
  if (valueType === 'array') {
    return stringifyArrayOfTables(prefix, indent, key, value)
  } else if (valueType === 'table') {
    return stringifyComplexTable(prefix, indent, key, value)
  } else {
    throw typeError(valueType)
  }
}

function stringifyArrayOfTables (prefix, indent, key, values) {
  values = toJSON(values)
  const firstValueType = tomlType(values[0])
  /* istanbul ignore if */
  if (firstValueType !== 'table') throw typeError(firstValueType)
  const fullKey = prefix + stringifyKey(key)
  let result = ''
  values.forEach(table => {
    if (result.length > 0) result += '\n'
    result += indent + '[[' + fullKey + ']]\n'
    result += stringifyObject(fullKey + '.', indent, table)
  })
  return result
}

function stringifyComplexTable (prefix, indent, key, value) {
  const fullKey = prefix + stringifyKey(key)
  let result = ''
  if (getInlineKeys(value).length > 0) {
    result += indent + '[' + fullKey + ']\n'
  }
  return result + stringifyObject(fullKey + '.', indent, value)
}


/***/ }),

/***/ 572:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


exports.parse = __nccwpck_require__(185)
exports.stringify = __nccwpck_require__(887)


/***/ }),

/***/ 203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./src/core/errors.ts
/**
 * A failure a person can act on: what happened, and what to do about it.
 * Every user-facing error in the core is one of these; texts live in messages.ts.
 */
class MlBuildpacksError extends Error {
    title;
    detail;
    hint;
    location;
    /** Process exit code the CLI should use. */
    exitCode;
    constructor(opts) {
        super(opts.title);
        this.name = "MlBuildpacksError";
        this.title = opts.title;
        this.detail = opts.detail ?? "";
        this.hint = opts.hint ?? "";
        this.location = opts.location;
        this.exitCode = opts.exitCode ?? 1;
    }
}
function formatLocation(loc) {
    return [loc.file, loc.line, loc.column].filter((p) => p !== undefined).join(":");
}
/** Renders an error for a terminal or CI log. */
function renderError(err) {
    if (!(err instanceof MlBuildpacksError)) {
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        return `ERROR: unexpected failure (a bug in ml-buildpacks, please report it):\n${message}`;
    }
    const lines = [`ERROR: ${err.title}`];
    if (err.location)
        lines.push(`  at ${formatLocation(err.location)}`);
    if (err.detail)
        lines.push(...err.detail.split("\n").map((l) => `  ${l}`));
    if (err.hint)
        lines.push(`  What to do: ${err.hint}`);
    return lines.join("\n");
}

;// CONCATENATED MODULE: ./src/core/messages.ts
const messages = {
    invalidImageRef: (input, why) => ({
        title: `"${input}" is not a valid image reference: ${why}`,
        hint: "use the form registry/repository[:tag], e.g. ghcr.io/team/app:1.0",
        exitCode: 2,
    }),
    previousImageElsewhere: (previous, image) => ({
        title: `the previous image ${previous} is not in the registry of ${image}`,
        hint: "the lifecycle reuses layers only within one registry: name an image of the same registry, or leave --previous-image out",
        exitCode: 2,
    }),
    appDirNotFound: (dir) => ({
        title: `the app directory ${dir} does not exist or is not a directory`,
        hint: "pass the path of your project (the folder with requirements.txt, app.py, ...)",
        exitCode: 2,
    }),
    invalidEnvVar: (entry) => ({
        title: `build env "${entry}" is not of the form KEY=VALUE`,
        hint: "write one variable per entry, e.g. --env PIP_INDEX_URL=https://pypi.example/simple",
        exitCode: 2,
    }),
    badMemoryLimit: (option, value) => ({
        title: `${option} "${value}" is not a memory size`,
        hint: `give a number of bytes with an optional unit b, k, m or g, at least 6m (Docker's minimum), e.g. ${option} 2g`,
        exitCode: 2,
    }),
    reservedEnvVar: (name) => ({
        title: `build env ${name} is reserved for the lifecycle and cannot be set`,
        hint: "remove it; CNB_* variables are set by ml-buildpacks itself",
        exitCode: 2,
    }),
    fileNotFound: (file, what) => ({
        title: `${what} ${file} was not found`,
        hint: "check the path",
        exitCode: 2,
    }),
    tomlSyntax: (location, reason) => ({
        title: `${location.file} is not valid TOML`,
        detail: reason,
        location,
        hint: "fix the syntax at the line shown",
        exitCode: 2,
    }),
    builderConfigInvalid: (location, problem, hint) => ({
        title: `${location.file}: ${problem}`,
        location,
        hint,
        exitCode: 2,
    }),
    buildpackNotBuilt: (dir) => ({
        title: `buildpack ${dir} has no bin/main.mjs bundle`,
        hint: "run `npm run build` first (it bundles the CLI and every buildpack)",
        exitCode: 2,
    }),
    lifecycleNotFound: (dir) => ({
        title: `no lifecycle binaries in ${dir}`,
        detail: "expected lifecycle and launcher executables there",
        hint: "builder create: pass --lifecycle-dir with the lifecycle and launcher of the builder's platform (a release of github.com/buildpacks/lifecycle); --executor local: run the job in an ml-buildpacks builder image, which has /cnb/lifecycle",
        exitCode: 2,
    }),
    unknownLifecycleVersion: (version, known) => ({
        title: `lifecycle version ${version} is not one ml-buildpacks knows the APIs of`,
        detail: `known versions: ${known.join(", ")}`,
        hint: "use a known lifecycle version, or add its API ranges to src/core/lifecycle/versions.ts",
        exitCode: 2,
    }),
    dockerUnavailable: (detail) => ({
        title: "cannot talk to the Docker engine",
        detail,
        hint: "start Docker or point DOCKER_HOST at a running engine; in a CI job without Docker (GitLab, Tekton) run in the builder image with --executor local",
    }),
    dockerFailed: (what, output) => ({
        title: `docker could not ${what}`,
        detail: output.trim().split("\n").slice(-15).join("\n"),
        hint: "read docker's message above",
    }),
    imageNotFound: (ref, output) => ({
        title: `image ${ref} could not be found locally or pulled`,
        detail: output.trim().split("\n").slice(-5).join("\n"),
        hint: "check the reference (the default builder is <namespace>/builder:<flavor>-<version>; ML_BUILDPACKS_NAMESPACE names a mirror), that its registry is reachable from here, and `docker login` for a private one",
    }),
    cliBundleNotFound: (dir, file) => ({
        title: `the bundled CLI is incomplete: no ${file} in ${dir}`,
        detail: "builder create copies the CLI into the builder so CI jobs can run `ml-buildpacks build` inside it",
        hint: "run `npm run build` (bundles dist/cli) and try again",
        exitCode: 2,
    }),
    notABuilder: (ref, missing) => ({
        title: `${ref} is not a CNB builder image: ${missing}`,
        hint: "pass a builder made by `ml-buildpacks builder create` (or any pack-compatible builder) with --builder",
        exitCode: 2,
    }),
    noCommonPlatformApi: (ref, builderApis, ours) => ({
        title: `the lifecycle in ${ref} supports no Platform API that ml-buildpacks speaks`,
        detail: `builder: ${builderApis.join(", ") || "none listed"}; ml-buildpacks: ${ours.join(", ")}`,
        hint: "rebuild the builder with a lifecycle of version 0.17 or newer",
        exitCode: 2,
    }),
    registryUnreachable: (registry, action, reason) => ({
        title: `cannot reach the registry ${registry} to ${action}`,
        detail: reason,
        hint: "check the image name, that the registry is up and reachable from here (a proxy: HTTPS_PROXY/NO_PROXY; a private CA: --ca-certs / ca-certs), and plain-HTTP registries are named with --insecure-registry; nothing was built or pushed",
    }),
    registryLost: (registry, action, attempts, reason) => ({
        title: `the registry ${registry} stopped answering while we tried to ${action} (${attempts} attempts)`,
        detail: reason,
        hint: "nothing was tagged by this step: every tag still names what it named before. Check that the registry is up and reachable from here (its disk, a proxy in between), then run again: the blobs it already received are reused",
    }),
    registryAuthFailed: (registry, status, action, anonymous) => ({
        title: anonymous
            ? `the registry ${registry} refused to let us ${action} without credentials (HTTP ${status})`
            : `the registry ${registry} refused our credentials to ${action} (HTTP ${status})`,
        hint: anonymous
            ? `no credentials for ${registry} were found (CNB_REGISTRY_AUTH, the Docker config's credHelpers, credsStore or auths): log in to ${registry} (docker login ${registry}, docker/login-action) with an account that may ${action}`
            : `check that your login to ${registry} is current (docker login ${registry}, or CNB_REGISTRY_AUTH) and that its account or token may ${action}: a token needs the scopes for it (e.g. GHCR: read:packages to pull, write:packages to push, delete:packages to delete)`,
    }),
    registryTokenRefused: (registry, tokenServer, status, action, anonymous, answer) => ({
        title: `the token service ${tokenServer} of ${registry} gave us no token to ${action}${status ? ` (HTTP ${status})` : ""}`,
        detail: answer || undefined,
        hint: anonymous
            ? `the registry wants credentials for this: log in to ${registry} (docker login ${registry}, docker/login-action, or CNB_REGISTRY_AUTH)`
            : `check that your login to ${registry} is current (password or token not expired or revoked) and that it may ${action} (token scopes, repository permissions)`,
    }),
    insecureNeedsPlatformApi: (builder, platformApi) => ({
        title: `the lifecycle of ${builder} speaks Platform API ${platformApi}, which has no plain-HTTP registries (--insecure-registry)`,
        hint: "use a builder with lifecycle 0.17 or newer (Platform API 0.13+), or serve the registry over HTTPS (with --ca-certs for a private CA)",
        exitCode: 2,
    }),
    badProxy: (variable, problem) => ({
        title: `the proxy in ${variable} cannot be used: ${problem}`,
        hint: `set ${variable} to an http proxy URL such as http://proxy.example:3128, or unset it`,
        exitCode: 2,
    }),
    caCertsUnreadable: (file, problem) => ({
        title: `the CA bundle ${file} cannot be used: ${problem}`,
        hint: "name a PEM file of CA certificates in --ca-certs / the ca-certs input / ML_BUILDPACKS_CA_CERTS, or leave it out to trust the system's CAs only",
        exitCode: 2,
    }),
    blobDigestMismatch: (digest, size, got, gotSize) => ({
        title: `the blob ${digest} read from the source registry is not what its manifest says`,
        detail: `expected ${size} bytes with ${digest}, read ${gotSize} bytes with ${got}`,
        hint: "the source image is damaged or was changed while being copied: push it again, then retry; nothing was committed under the target",
    }),
    registryRequestFailed: (registry, what, status, body) => ({
        title: `the registry ${registry} refused to ${what} (HTTP ${status})`,
        detail: body,
        hint: "read the registry's answer above; check the reference and your permissions",
    }),
    indexNeedsTag: (image) => ({
        title: `the manifest list ${image} needs a tag, not a digest`,
        hint: "name it like registry/repository:1.0 (its digest is printed when it is pushed)",
        exitCode: 2,
    }),
    invalidNamespace: (value, why) => ({
        title: `"${value}" is not a registry namespace for ml-buildpacks' images: ${why}`,
        hint: "set ML_BUILDPACKS_NAMESPACE (or builder create's --namespace) to registry[:port]/path, without scheme or tag, e.g. ghcr.io/my-org/ml-buildpacks for a mirror; unset it for the published images",
        exitCode: 2,
    }),
    badChildSpec: (spec) => ({
        title: `--from ${spec} is not of the form [OS/ARCH=]REF (a tag or @sha256:DIGEST)`,
        hint: "e.g. --from linux/arm64=ghcr.io/team/app@sha256:...",
        exitCode: 2,
    }),
    tagNeedsTag: (ref) => ({
        title: `--tag ${ref} is a digest, not a tag`,
        hint: "name the new tag like registry/repository:1.0",
        exitCode: 2,
    }),
    tagSourceMissing: (ref) => ({
        title: `the image ${ref} does not exist in its registry`,
        hint: "check the reference given to --image; no tag was written",
    }),
    tagIndexElsewhere: (ref, tag) => ({
        title: `${ref} is a manifest list: it can only be tagged in its own repository, not as ${tag}`,
        hint: "use manifest create --image with its children (--from) to make an index in another repository",
        exitCode: 2,
    }),
    childMissing: (ref) => ({
        title: `the image ${ref} does not exist in its registry`,
        hint: "check the digest; nothing was pushed under the manifest list's tag",
    }),
    childIsIndex: (ref) => ({
        title: `${ref} is itself a manifest list; a manifest list can only hold single-platform images`,
        hint: "pass the per-arch image digests",
        exitCode: 2,
    }),
    childPlatformMismatch: (ref, expected, actual) => ({
        title: `${ref} is a ${actual} image, not ${expected}`,
        hint: "pass the digest built for that platform; nothing was pushed under the manifest list's tag",
        exitCode: 2,
    }),
    duplicateChild: (what) => ({
        title: `the manifest list would hold ${what} twice`,
        hint: "pass each platform once",
        exitCode: 2,
    }),
    noChildren: () => ({
        title: "a manifest list needs at least one --from image",
        hint: "pass --from REF@sha256:... once per platform",
        exitCode: 2,
    }),
    badPlatform: (platform) => ({
        title: `"${platform}" is not a platform`,
        hint: "write it as OS/ARCH, e.g. linux/amd64 or linux/arm64",
        exitCode: 2,
    }),
    platformNotInIndex: (ref, platform, available) => ({
        title: `${ref} has no ${platform} image`,
        detail: `it has: ${available.join(", ") || "nothing"}`,
        hint: "pick one of those platforms, or a builder that was built for yours",
        exitCode: 2,
    }),
    unsupportedPlatform: (requested, builder, builderPlatform) => ({
        title: `the builder ${builder} is for ${builderPlatform}, but ${requested} was requested`,
        hint: "pass a builder for that platform (or a multi-arch builder index), or drop --platform",
        exitCode: 2,
    }),
    usage: (problem, hint) => ({ title: problem, hint, exitCode: 2 }),
};

;// CONCATENATED MODULE: ./src/core/image-ref.ts


const DOCKER_HUB = "index.docker.io";
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Parses "host:port/repo:tag@sha256:..." following the distribution reference grammar (docker's defaults). */
function parseImageRef(input) {
    const invalid = (why) => new MlBuildpacksError(messages.invalidImageRef(input, why));
    let rest = input.trim();
    if (rest === "")
        throw invalid("it is empty");
    if (/\s/.test(rest))
        throw invalid("it contains a space or another blank");
    let digest;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            throw invalid(`"${digest}" is not a sha256 digest`);
    }
    let tag;
    const lastSlash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (tag.length > 128)
            throw invalid(`the tag is ${tag.length} characters long, at most 128 are allowed`);
        if (!TAG.test(tag))
            throw invalid(`"${tag}" is not a valid tag (letters, digits, _ . and -, not starting with . or -)`);
    }
    let registry = DOCKER_HUB;
    const firstSlash = rest.indexOf("/");
    const first = firstSlash >= 0 ? rest.slice(0, firstSlash) : "";
    if (first && (first.includes(".") || first.includes(":") || first === "localhost")) {
        registry = first;
        rest = rest.slice(firstSlash + 1);
    }
    else if (!rest.includes("/")) {
        rest = `library/${rest}`;
    }
    if (/[A-Z]/.test(rest))
        throw invalid(`"${rest}" has upper-case letters; repository names are lower case (tags may have capitals)`);
    if (!REPOSITORY.test(rest))
        throw invalid(`"${rest}" is not a valid repository name (lowercase, digits, . _ - /)`);
    if (!tag && !digest)
        tag = "latest";
    return { registry, repository: rest, tag, digest };
}
/**
 * A reference a build pushes to: a digest names content that exists already, so it is refused.
 * `what` is how the user gave it ("--image", 'input "image"').
 */
function parseTargetRef(input, what) {
    const ref = parseImageRef(input);
    if (ref.digest)
        throw new MlBuildpacksError({
            title: `${what} ${input} is a digest, but a build pushes a new image to a tag`,
            hint: "give a tag, e.g. ghcr.io/team/app:1.0; the pushed image's digest is in the build report and outputs",
            exitCode: 2,
        });
    return ref;
}
function formatImageRef(ref) {
    const host = ref.registry === DOCKER_HUB ? "" : `${ref.registry}/`;
    const repo = ref.registry === DOCKER_HUB ? ref.repository.replace(/^library\//, "") : ref.repository;
    return `${host}${repo}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}
/**
 * The repository fully qualified, without tag or digest (index.docker.io/... on Docker Hub): the
 * subject name actions/attest-build-provenance pushes its attestation to.
 */
function imageName(ref) {
    return `${ref.registry}/${ref.repository}`;
}
/** The same repository pinned to a digest. */
function withDigest(ref, digest) {
    return { ...ref, tag: undefined, digest };
}
/** Registries the lifecycle (go-containerregistry) and docker talk to over plain http. */
function isLoopbackRegistry(registry) {
    const host = registry.replace(/:\d+$/, "");
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1";
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:stream"
const external_node_stream_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");
;// CONCATENATED MODULE: ./src/core/registry/challenge.ts
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
function parseChallenges(header) {
    const challenges = [];
    let rest = header;
    const skip = (pattern) => {
        rest = rest.replace(pattern, "");
    };
    while (rest.length > 0) {
        skip(/^[\s,]+/);
        const scheme = TOKEN.exec(rest)?.[0];
        if (!scheme)
            break;
        rest = rest.slice(scheme.length);
        const challenge = { scheme: scheme.toLowerCase(), params: {} };
        challenges.push(challenge);
        // Params until the next challenge: a token not followed by "=" starts one.
        for (;;) {
            skip(/^[\s,]+/);
            const name = TOKEN.exec(rest)?.[0];
            if (!name)
                break;
            const after = rest.slice(name.length).replace(/^\s*/, "");
            if (!after.startsWith("=") || after.startsWith("==")) {
                // token68 (e.g. "Basic abc=") belongs to this challenge only when it comes first.
                if (Object.keys(challenge.params).length === 0 && after.startsWith("=")) {
                    rest = after.replace(/^=+/, "");
                    continue;
                }
                break;
            }
            rest = after.slice(1).replace(/^\s*/, "");
            let value;
            if (rest.startsWith('"')) {
                let i = 1;
                value = "";
                while (i < rest.length && rest[i] !== '"') {
                    if (rest[i] === "\\" && i + 1 < rest.length)
                        i++;
                    value += rest[i];
                    i++;
                }
                rest = rest.slice(i + 1);
            }
            else {
                value = /^[^\s,]*/.exec(rest)?.[0] ?? "";
                rest = rest.slice(value.length);
            }
            challenge.params[name.toLowerCase()] = value;
        }
    }
    return challenges;
}

;// CONCATENATED MODULE: ./src/core/registry/auth.ts
/**
 * Registry authentication as the distribution spec and Docker's clients do it: the registry's 401
 * says how (WWW-Authenticate). Bearer: a token from the realm for the scopes a request needs,
 * anonymous when we have no credentials (public pulls), with Basic credentials (GET), or with an
 * identity token (OAuth2 POST grant_type=refresh_token, GET with Basic where the token server has no
 * OAuth2 endpoint). Tokens are cached per scope until they expire; a 401 despite a cached token
 * fetches a new one once. Basic: the credentials on every request once the registry asked for them.
 */



/** The user name Docker's credential helpers and configs use to mark an identity token. */
const IDENTITY_TOKEN_USER = "<token>";
/** Pure: a CNB_REGISTRY_AUTH value ("Basic <b64>", "Bearer <token>") as a credential. */
function credentialOf(value) {
    if (!value)
        return undefined;
    const [scheme = "", rest = ""] = value.split(/ (.*)/s);
    if (scheme.toLowerCase() === "bearer")
        return { kind: "registry-token", token: rest };
    if (scheme.toLowerCase() !== "basic")
        return undefined;
    const pair = Buffer.from(rest, "base64").toString("utf8");
    const colon = pair.indexOf(":");
    if (colon < 0)
        return undefined;
    const username = pair.slice(0, colon);
    const password = pair.slice(colon + 1);
    return username === IDENTITY_TOKEN_USER
        ? { kind: "identity", token: password }
        : { kind: "basic", username, password };
}
const basicHeader = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
/** Pure: the scope string of a request ("repo:pull,push other:pull") as token scopes. */
function tokenScopes(scope) {
    return scope
        .split(" ")
        .filter(Boolean)
        .map((part) => {
        const colon = part.lastIndexOf(":");
        return `repository:${part.slice(0, colon)}:${part.slice(colon + 1)}`;
    });
}
/** Pure: what a scope lets us do, in words, for error messages. */
function describeScope(scope) {
    const [first = "", ...others] = scope.split(" ").filter(Boolean);
    const colon = first.lastIndexOf(":");
    const repo = first.slice(0, colon);
    const actions = first.slice(colon + 1);
    if (!repo)
        return "use the registry";
    const from = others.length
        ? ` (mounting from ${others.map((o) => o.slice(0, o.lastIndexOf(":"))).join(", ")})`
        : "";
    if (actions.includes("delete"))
        return `delete manifests in ${repo}`;
    if (actions.includes("push"))
        return `push to ${repo}${from}`;
    return `pull from ${repo}`;
}
/** Seconds a token lives when the token server does not say (distribution's token spec). */
const DEFAULT_EXPIRES_IN = 60;
/** Renew this long before the expiry: a request must not start with a token about to lapse. */
const EXPIRY_MARGIN_MS = 5_000;
class Authenticator {
    registry;
    credential;
    fetch;
    now;
    tokens = new Map();
    /** Set once the registry asked for Basic: the credentials then go with every request. */
    basic = false;
    identity;
    constructor(registry, credential, fetch, now = Date.now) {
        this.registry = registry;
        this.credential = credential;
        this.fetch = fetch;
        this.now = now;
        this.identity = credential?.kind === "identity" ? credential.token : undefined;
    }
    /** Whether we send credentials at all (for messages: anonymous or not). */
    get anonymous() {
        return this.credential === undefined;
    }
    /** The Authorization header for a request needing `scope`, from what is known without asking. */
    header(scope) {
        if (this.credential?.kind === "registry-token")
            return { Authorization: `Bearer ${this.credential.token}` };
        const cached = this.tokens.get(scope);
        if (cached && cached.expires - EXPIRY_MARGIN_MS > this.now())
            return { Authorization: `Bearer ${cached.token}` };
        if (cached)
            this.tokens.delete(scope);
        const basic = this.basic && this.basicCredential();
        return basic ? { Authorization: basic } : {};
    }
    /**
     * After a 401: follows its challenge. Returns whether the request is worth sending again (false:
     * nothing we could do differently). Throws when the token server refuses us.
     */
    async challenged(header, scope) {
        this.tokens.delete(scope);
        const challenges = parseChallenges(header ?? "");
        const bearer = challenges.find((c) => c.scheme === "bearer");
        if (bearer?.params.realm && this.credential?.kind !== "registry-token") {
            await this.fetchToken(bearer.params.realm, bearer.params.service, scope, bearer.params.scope);
            return true;
        }
        if (challenges.some((c) => c.scheme === "basic") && !this.basic && this.basicCredential()) {
            this.basic = true;
            return true;
        }
        return false;
    }
    basicCredential() {
        if (this.credential?.kind === "basic")
            return basicHeader(this.credential.username, this.credential.password);
        if (this.identity)
            return basicHeader(IDENTITY_TOKEN_USER, this.identity);
        return undefined;
    }
    async fetchToken(realm, service, scope, asked) {
        const scopes = tokenScopes(scope);
        // The registry may name a scope of its own (e.g. a catalog); ask for it too.
        for (const s of asked?.split(" ") ?? [])
            if (s && !scopes.includes(s))
                scopes.push(s);
        let url;
        try {
            url = new URL(realm);
        }
        catch {
            throw new MlBuildpacksError(messages.registryTokenRefused(this.registry, realm, 0, describeScope(scope), this.anonymous, "its token realm is not a URL"));
        }
        const started = this.now();
        const unreachable = (err) => {
            throw this.tokenUnreachable(url.host, scope, err);
        };
        let res = this.identity
            ? await this.oauth(url, service, scopes, this.identity).catch(unreachable)
            : undefined;
        // Token servers without the OAuth2 endpoint (distribution's spec allows it) answer 404/405: GET.
        if (!res || res.status === 404 || res.status === 405) {
            const get = new URL(url);
            if (service)
                get.searchParams.set("service", service);
            for (const s of scopes)
                get.searchParams.append("scope", s);
            const basic = this.basicCredential();
            res = await this.fetch(get, { headers: basic ? { Authorization: basic } : {} }).catch(unreachable);
        }
        if (!res.ok) {
            const text = (await res.text().catch(() => "")).slice(0, 300);
            throw new MlBuildpacksError(messages.registryTokenRefused(this.registry, url.host, res.status, describeScope(scope), this.anonymous, text));
        }
        const body = (await res.json().catch(() => ({})));
        const token = body.token ?? body.access_token;
        if (!token)
            throw new MlBuildpacksError(messages.registryTokenRefused(this.registry, url.host, res.status, describeScope(scope), this.anonymous, "the answer holds no token"));
        if (body.refresh_token && this.identity)
            this.identity = body.refresh_token;
        const issued = body.issued_at ? Date.parse(body.issued_at) : Number.NaN;
        const lifetime = (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN) *
            1000;
        // issued_at shortens the lifetime by the time the token spent on its way; a clock far off ours
        // (issued in our future, or longer ago than the token lives) is ignored.
        const from = Number.isFinite(issued) && issued <= started && started - issued < lifetime ? issued : started;
        this.tokens.set(scope, { token, expires: from + lifetime });
    }
    oauth(url, service, scopes, refreshToken) {
        const form = new URLSearchParams({
            grant_type: "refresh_token",
            refresh_token: refreshToken,
            client_id: "ml-buildpacks",
            ...(service ? { service } : {}),
            ...(scopes.length ? { scope: scopes.join(" ") } : {}),
        });
        return this.fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
            body: form.toString(),
        });
    }
    tokenUnreachable(realm, scope, err) {
        const cause = err?.cause;
        const reason = cause?.message ?? (err instanceof Error ? err.message : String(err));
        return new MlBuildpacksError(messages.registryTokenRefused(this.registry, realm, 0, describeScope(scope), this.anonymous, `no answer: ${reason}`));
    }
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: external "node:tls"
const external_node_tls_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: ./src/core/registry/proxy.ts
/**
 * Which proxy a registry request goes through, by Go's rules (golang.org/x/net/http/httpproxy, what
 * the lifecycle's go-containerregistry follows, so our client and the phases agree):
 * - HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs; upper case wins over lower case; a value
 *   without a scheme is http://. Only http:// proxies are supported (CONNECT for https targets).
 * - NO_PROXY: comma-separated; `*` turns proxies off; "example.com" matches it and its subdomains,
 *   ".example.com" or "*.example.com" subdomains only; an IP address or CIDR block matches
 *   addresses; any entry may end in ":port" to match that port only.
 * - localhost and loopback addresses are never proxied, listed or not.
 * Pure.
 */



const first = (env, ...names) => names.map((n) => env[n]).find((v) => v !== undefined && v !== "");
function proxyUrl(name, value) {
    if (!value)
        return undefined;
    let url;
    try {
        url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    }
    catch {
        throw new MlBuildpacksError(messages.badProxy(name, "not a URL"));
    }
    if (url.protocol !== "http:")
        throw new MlBuildpacksError(messages.badProxy(name, `${url.protocol}// proxies are not supported, only http://`));
    return url;
}
function proxySettingsFromEnv(env) {
    return {
        httpProxy: proxyUrl("HTTP_PROXY", first(env, "HTTP_PROXY", "http_proxy")),
        httpsProxy: proxyUrl("HTTPS_PROXY", first(env, "HTTPS_PROXY", "https_proxy")),
        noProxy: first(env, "NO_PROXY", "no_proxy") ?? "",
    };
}
/** The proxy for `target`, or undefined to connect directly. */
function proxyFor(target, settings) {
    const proxy = target.protocol === "https:" ? settings.httpsProxy : settings.httpProxy;
    if (!proxy)
        return undefined;
    const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const port = target.port || (target.protocol === "https:" ? "443" : "80");
    if (isLoopback(host))
        return undefined;
    return settings.noProxy.split(",").some((entry) => noProxyMatches(entry.trim().toLowerCase(), host, port))
        ? undefined
        : proxy;
}
function isLoopback(host) {
    if (host === "localhost")
        return true;
    if ((0,external_node_net_namespaceObject.isIP)(host) === 4)
        return host.startsWith("127.");
    if ((0,external_node_net_namespaceObject.isIP)(host) === 6)
        return host === "::1" || host === "0:0:0:0:0:0:0:1";
    return false;
}
function noProxyMatches(entry, host, port) {
    if (entry === "")
        return false;
    if (entry === "*")
        return true;
    if (entry.includes("/")) {
        const [net = "", bits = ""] = entry.split("/");
        const family = (0,external_node_net_namespaceObject.isIP)(net);
        const hostFamily = (0,external_node_net_namespaceObject.isIP)(host);
        if (!family || family !== hostFamily)
            return false;
        const list = new external_node_net_namespaceObject.BlockList();
        list.addSubnet(net, Number(bits), family === 4 ? "ipv4" : "ipv6");
        return list.check(host, family === 4 ? "ipv4" : "ipv6");
    }
    // host[:port], [v6]:port or a bare IPv6 address.
    let name = entry;
    let wantPort;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
        name = bracketed[1] ?? "";
        wantPort = bracketed[2];
    }
    else if ((0,external_node_net_namespaceObject.isIP)(entry) !== 6) {
        const m = /^(.*):(\d+)$/.exec(entry);
        if (m) {
            name = m[1] ?? "";
            wantPort = m[2];
        }
    }
    if (wantPort !== undefined && wantPort !== port)
        return false;
    if ((0,external_node_net_namespaceObject.isIP)(name))
        return name === host;
    if (name.startsWith("*."))
        name = name.slice(1);
    if (name.startsWith("."))
        return host.endsWith(name);
    return host === name || host.endsWith(`.${name}`);
}
/** The proxy variables the host has set, for the phase containers (go-containerregistry reads the same). */
const PROXY_VARIABLES = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];
/** Pure: the host's proxy variables that are set. Their values may hold proxy passwords: pass them by name only. */
function proxyEnv(env) {
    return Object.fromEntries(PROXY_VARIABLES.flatMap((name) => {
        const value = env[name];
        return value ? [[name, value]] : [];
    }));
}

;// CONCATENATED MODULE: ./src/core/registry/http.ts
// The subset of fetch the registry client uses, over node:http(s). Node's global fetch loads and
// compiles undici on first use (about 20 ms of an up-to-date build's 250 ms); node:http is already
// in the startup snapshot. nodeFetch reads bodies whole (manifests, configs, small blobs);
// nodeStreamFetch streams them (layers being recompressed). createHttp adds what real registries
// need: a CA list (system store plus the user's CA, see trust.ts) and HTTP proxies (proxy.ts):
// CONNECT tunnels for https targets, absolute-URI requests for http ones.




/** fetch-like functions over one set of keep-alive agents. */
function createHttp(transport = {}) {
    const connect = connector(transport);
    return {
        fetch: async (url, init = {}) => {
            const message = await follow(url, init, connect);
            return responseOf(message.statusCode ?? 0, message, await readAll(message));
        },
        streamFetch: async (url, init = {}) => {
            const message = await follow(url, init, connect);
            return { status: message.statusCode ?? 0, headers: headersOf(message), body: message };
        },
    };
}
const plain = createHttp();
const nodeStreamFetch = plain.streamFetch;
/** fetch's behaviour where the client relies on it: redirects followed, failures as "fetch failed" with a cause. */
const nodeFetch = plain.fetch;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** Sends the request, following redirects; the final response's body is left unread. */
async function follow(url, init, connect) {
    let target = new URL(url);
    let { method = "GET", headers = {}, body } = init;
    for (let hop = 0;; hop++) {
        const message = await http_open(target, { method, headers, body, signal: init.signal }, connect);
        const status = message.statusCode ?? 0;
        const location = message.headers.location;
        // A streamed body is gone once sent: its response is the answer.
        if (isStream(body) || !REDIRECTS.has(status) || !location || hop >= MAX_REDIRECTS)
            return message;
        message.resume();
        const next = new URL(location, target);
        // Blob downloads redirect to storage: credentials stay with the registry that asked for them.
        if (next.host !== target.host)
            headers = withoutAuthorization(headers);
        if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
            method = "GET";
            body = undefined;
        }
        target = next;
    }
}
function connector(transport) {
    const ca = transport.ca && [...transport.ca];
    const direct = {
        http: new external_node_http_namespaceObject.Agent({ keepAlive: true }),
        https: new external_node_https_namespaceObject.Agent({ keepAlive: true, ...(ca ? { ca } : {}) }),
    };
    const tunnels = new Map();
    return (url) => {
        const proxy = transport.proxy && proxyFor(url, transport.proxy);
        if (!proxy)
            return { url, agent: url.protocol === "https:" ? direct.https : direct.http, headers: {} };
        if (url.protocol === "https:") {
            let agent = tunnels.get(proxy.href);
            if (!agent) {
                agent = new TunnelAgent(proxy, { keepAlive: true, ...(ca ? { ca } : {}) });
                tunnels.set(proxy.href, agent);
            }
            return { url, agent, headers: {} };
        }
        // Plain http through a proxy: the absolute URI as the request target (RFC 9112 3.2.2).
        return {
            url: proxy,
            path: url.href,
            agent: direct.http,
            headers: { Host: url.host, ...proxyAuthorization(proxy) },
        };
    };
}
function proxyAuthorization(proxy) {
    if (!proxy.username)
        return {};
    const pair = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    return { "Proxy-Authorization": `Basic ${Buffer.from(pair).toString("base64")}` };
}
/**
 * An https agent whose connections are CONNECT tunnels through an http proxy; TLS then runs end
 * to end with the registry (the proxy sees only the host name). Sockets are pooled like direct ones.
 */
class TunnelAgent extends external_node_https_namespaceObject.Agent {
    proxy;
    constructor(proxy, options) {
        super(options);
        this.proxy = proxy;
    }
    createConnection(options, callback) {
        const done = callback ?? (() => { });
        const authority = `${options.host ?? options.hostname}:${options.port ?? 443}`;
        const connect = (0,external_node_http_namespaceObject.request)({
            host: this.proxy.hostname.replace(/^\[|\]$/g, ""),
            port: this.proxy.port || 80,
            method: "CONNECT",
            path: authority,
            headers: { Host: authority, ...proxyAuthorization(this.proxy) },
            agent: false,
        });
        connect.once("connect", (res, socket) => {
            if (res.statusCode !== 200) {
                socket.destroy();
                const err = new Error(`the proxy ${this.proxy.host} answered CONNECT ${authority} with HTTP ${res.statusCode}`);
                done(Object.assign(err, { code: "ERR_PROXY_CONNECT" }), socket);
                return;
            }
            done(null, (0,external_node_tls_namespaceObject.connect)({ ...options, socket, servername: options.servername || undefined }));
        });
        connect.once("error", (err) => done(err, connect.socket));
        connect.end();
        return undefined;
    }
}
function http_open(target, init, connect) {
    return new Promise((resolve, reject) => {
        const body = typeof init.body === "string" ? Buffer.from(init.body) : init.body;
        const stream = isStream(body) ? body : undefined;
        const whole = isStream(body) ? undefined : body;
        const via = connect(target);
        const headers = {
            ...init.headers,
            ...via.headers,
            ...(whole ? { "Content-Length": String(whole.length) } : {}),
        };
        const req = (via.url.protocol === "https:" ? external_node_https_namespaceObject.request : external_node_http_namespaceObject.request)(via.url, {
            method: init.method,
            headers,
            signal: init.signal,
            agent: via.agent,
            ...(via.path ? { path: via.path } : {}),
        }, resolve);
        req.on("error", (err) => {
            stream?.destroy(err);
            reject(failed(err));
        });
        if (!stream)
            return void req.end(whole);
        stream.on("error", (err) => req.destroy(err));
        stream.pipe(req);
    });
}
function isStream(body) {
    return typeof body?.pipe === "function";
}
function readAll(message) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        message.on("data", (c) => chunks.push(c));
        message.on("error", (err) => reject(failed(err)));
        message.on("end", () => resolve(Buffer.concat(chunks)));
    });
}
function headersOf(message) {
    return {
        get: (name) => {
            const value = message.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
        },
    };
}
function withoutAuthorization(headers) {
    return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"));
}
function failed(cause) {
    return Object.assign(new Error("fetch failed"), { cause });
}
function responseOf(status, message, data) {
    return {
        status,
        ok: status >= 200 && status < 300,
        headers: headersOf(message),
        arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.length),
        json: async () => JSON.parse(data.toString("utf8")),
        text: async () => data.toString("utf8"),
        body: { cancel: async () => { } },
    };
}

;// CONCATENATED MODULE: ./src/core/registry/retry.ts
/** When to retry a registry request, and how long to wait first. Pure. */
/** 429 (rate limits: Docker Hub, GHCR) and server errors; 501 (not implemented) will not change. */
function isRetryableStatus(status) {
    return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}
/** A Retry-After longer than this is cut to it: a build waits, but not for an hour. */
const MAX_RETRY_AFTER_MS = 60_000;
/**
 * The wait before retry number `attempt` (0-based): the registry's Retry-After (seconds or an
 * HTTP date) when it sent one, else the backoff schedule.
 */
function retryDelay(attempt, backoff, retryAfter, now) {
    const fallback = backoff[attempt] ?? backoff.at(-1) ?? 1000;
    if (!retryAfter)
        return fallback;
    const seconds = Number(retryAfter.trim());
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (!Number.isFinite(ms) || ms <= 0)
        return fallback;
    return Math.min(ms, MAX_RETRY_AFTER_MS);
}

;// CONCATENATED MODULE: ./src/core/registry/trust.ts
/**
 * The CA certificates the registry client trusts: Node's bundled roots, the system's trust store
 * file and the user's extra CA bundle (--ca-certs / ML_BUILDPACKS_CA_CERTS / the action's CA input).
 * Node 20 reads no system store by itself, and an `ca` option replaces its roots instead of adding
 * to them, so all three are joined here.
 */




/** Debian/Ubuntu's bundle, also what the build images and the phase containers use. */
const SYSTEM_TRUST_FILE = "/etc/ssl/certs/ca-certificates.crt";
/** Pure: which files to read. */
function trustFiles(env, extra, exists = external_node_fs_namespaceObject.existsSync) {
    const system = env.SSL_CERT_FILE || (exists(SYSTEM_TRUST_FILE) ? SYSTEM_TRUST_FILE : undefined);
    const wanted = extra ?? (env.ML_BUILDPACKS_CA_CERTS || undefined);
    return { system, extra: wanted && wanted !== system ? wanted : undefined };
}
/** Splits a PEM bundle into its certificates (comments and blank lines between them dropped). */
function pemCertificates(text) {
    return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
/** The `ca` option for TLS connections to registries. */
function trustedCas(files, read = (p) => (0,external_node_fs_namespaceObject.readFileSync)(p, "utf8")) {
    const cas = new Set(external_node_tls_namespaceObject.rootCertificates);
    if (files.system) {
        // A missing or unreadable system store leaves Node's roots: what a plain Node client would do.
        try {
            for (const c of pemCertificates(read(files.system)))
                cas.add(c);
        }
        catch { }
    }
    if (files.extra) {
        let text;
        try {
            text = read(files.extra);
        }
        catch (err) {
            throw new MlBuildpacksError(messages.caCertsUnreadable(files.extra, err instanceof Error ? err.message : String(err)));
        }
        const certs = pemCertificates(text);
        if (certs.length === 0)
            throw new MlBuildpacksError(messages.caCertsUnreadable(files.extra, "no PEM certificate in it"));
        for (const c of certs)
            cas.add(c);
    }
    return [...cas];
}

;// CONCATENATED MODULE: ./src/core/registry/client.ts










const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const MANIFEST_TYPES = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST];
/** Compressed size of an image as stored in a registry: config plus layers (undefined for an index). */
function manifestSize(manifest) {
    if (!manifest?.body.layers)
        return undefined;
    return (manifest.body.config?.size ?? 0) + manifest.body.layers.reduce((sum, l) => sum + l.size, 0);
}
const sha256 = (data) => `sha256:${(0,external_node_crypto_namespaceObject.createHash)("sha256").update(data).digest("hex")}`;
/** Pure: the repository of a /v2/<repository>/(blobs|manifests)/<ref> path. */
function repositoryOfPath(path) {
    return /^\/v2\/(.+)\/(?:blobs|manifests)\/[^/]+$/.exec(path)?.[1];
}
async function answerText(res) {
    const text = (await res.text().catch(() => "")).trim().slice(0, 500);
    return `HTTP ${res.status}${text ? `: ${text}` : ""}`;
}
/** Pure: whether the client (and the lifecycle) speak plain http to `registry`. */
function isInsecureRegistry(registry, insecure = []) {
    return isLoopbackRegistry(registry) || insecure.includes(registry);
}
/** One transport per CA file and proxy settings, shared by the clients of a process (keep-alive). */
const transports = new Map();
function defaultHttp(env, caCerts) {
    const files = trustFiles(env, caCerts);
    const proxy = proxySettingsFromEnv(env);
    const key = JSON.stringify([files, proxy.httpProxy?.href, proxy.httpsProxy?.href, proxy.noProxy]);
    let http = transports.get(key);
    if (!http) {
        http = createHttp({ ca: trustedCas(files), proxy });
        transports.set(key, http);
    }
    return http;
}
/**
 * An OCI distribution client for real registries: manifests and blobs (streamed where large),
 * Bearer tokens (auth.ts) and Basic auth, retries with backoff on 429/5xx and dropped connections,
 * cross-repository blob mounts, the system trust store plus an extra CA, HTTP proxies.
 */
class RegistryClient {
    registry;
    base;
    http;
    backoff;
    sleep;
    now;
    auth;
    constructor(registry, opts = {}) {
        this.registry = registry;
        const scheme = isInsecureRegistry(registry, opts.insecureRegistries) ? "http" : "https";
        this.base = `${scheme}://${registry === "index.docker.io" ? "registry-1.docker.io" : registry}`;
        let http;
        // Lazily: a client that never connects never reads CA files (and never fails on them).
        this.http = () => {
            http ??= {
                ...(opts.fetch || opts.streamFetch
                    ? createHttp()
                    : defaultHttp(opts.env ?? process.env, opts.caCerts)),
                ...(opts.fetch ? { fetch: opts.fetch } : {}),
                ...(opts.streamFetch ? { streamFetch: opts.streamFetch } : {}),
            };
            return http;
        };
        this.backoff = opts.backoff ?? [500, 1500, 4000];
        this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
        this.now = opts.now ?? Date.now;
        const fetchForTokens = (url, init) => this.http().fetch(url, init);
        this.auth = new Authenticator(registry, credentialOf(opts.auth?.[registry]), fetchForTokens, this.now);
    }
    /** Throws registryUnreachable when the registry does not answer at all. */
    async ping(image) {
        const res = await this.http()
            .fetch(`${this.base}/v2/`, { signal: AbortSignal.timeout(10_000) })
            .catch(this.unreachable(`push ${image}`));
        await res.body?.cancel();
    }
    /** A rejection handler: a request that got no answer becomes registryUnreachable for `action`. */
    unreachable(action) {
        return (err) => {
            if (err instanceof MlBuildpacksError)
                throw err;
            throw new MlBuildpacksError(messages.registryUnreachable(this.registry, action, describeFetchError(err)));
        };
    }
    /** Whether the registry ever answered this client: then a request without an answer means it went away. */
    answered = false;
    /**
     * A request that got no answer after its retries: unreachable (a name, a CA, a proxy) when the
     * registry never answered, else it stopped answering mid-operation.
     */
    noAnswer(action, attempts, err) {
        if (!this.answered || err instanceof MlBuildpacksError)
            return this.unreachable(action)(err);
        throw new MlBuildpacksError(messages.registryLost(this.registry, action, attempts, describeFetchError(err)));
    }
    async getManifest(repository, reference) {
        const res = await this.request("GET", `/v2/${repository}/manifests/${reference}`, {
            scope: `${repository}:pull`,
            headers: { Accept: MANIFEST_TYPES.join(", ") },
        });
        if (res.status === 404)
            return undefined;
        if (!res.ok)
            throw await this.unexpected(res, `read manifest ${repository}@${reference}`);
        const raw = Buffer.from(await res.arrayBuffer());
        const body = JSON.parse(raw.toString("utf8"));
        return {
            mediaType: body.mediaType ?? res.headers.get("content-type") ?? "",
            digest: res.headers.get("docker-content-digest") ?? sha256(raw),
            raw,
            body,
        };
    }
    /** A small blob (configs) in memory; large ones go through getBlobStream. */
    async getBlob(repository, digest) {
        const res = await this.request("GET", `/v2/${repository}/blobs/${digest}`, {
            scope: `${repository}:pull`,
        });
        if (res.status === 404)
            return undefined;
        if (!res.ok)
            throw await this.unexpected(res, `read blob ${repository}@${digest}`);
        return Buffer.from(await res.arrayBuffer());
    }
    /** An image's config blob (the manifest's `config`), parsed; undefined when it has none or it is gone. */
    async getConfig(repository, manifest) {
        const digest = manifest.body.config?.digest;
        const blob = digest ? await this.getBlob(repository, digest) : undefined;
        return blob ? JSON.parse(blob.toString("utf8")) : undefined;
    }
    async blobExists(repository, digest) {
        const res = await this.request("HEAD", `/v2/${repository}/blobs/${digest}`, {
            scope: `${repository}:pull`,
        });
        await res.body?.cancel();
        return res.ok;
    }
    /**
     * The registry's error answer to a GET of `path` (/v2/<repository>/...): the exporter's HEAD got a
     * 5xx, and HEAD answers carry no body. One attempt; undefined when GET works or nothing answers.
     */
    async errorAnswer(path) {
        const repository = repositoryOfPath(path);
        if (!repository)
            return undefined;
        const res = await this.once("GET", path, `${repository}:pull`);
        if (!res || res.ok)
            return void (await res?.body?.cancel());
        return answerText(res);
    }
    /**
     * Whether the registry can take an upload to `repository` now: one is started and at once
     * cancelled (nothing is stored). Its error answer, or undefined when it can or nothing answers.
     */
    async uploadAnswer(repository) {
        const scope = `${repository}:pull,push`;
        const res = await this.once("POST", `/v2/${repository}/blobs/uploads/`, scope);
        if (!res)
            return undefined;
        const location = res.headers.get("location");
        if (res.status !== 202 || !location)
            return answerText(res);
        await res.body?.cancel();
        // Cancelling needs the delete scope; where it is not granted the empty session stays until the
        // registry purges stale uploads.
        const cancel = await this.once("DELETE", new URL(location, this.base).toString(), `${repository}:delete`);
        await cancel?.body?.cancel();
        return undefined;
    }
    /** One request, no retry: the answer, or undefined when nothing answered. For diagnosis only. */
    async once(method, pathOrUrl, scope) {
        const url = pathOrUrl.startsWith("/") ? `${this.base}${pathOrUrl}` : pathOrUrl;
        try {
            return await this.exchange(scope, false, (auth) => this.http().fetch(url, { method, headers: auth }), (r) => r.body?.cancel());
        }
        catch {
            return undefined;
        }
    }
    /** Cross-repository mount; returns false when the registry wants an upload instead. */
    async mountBlob(repository, digest, from) {
        const res = await this.request("POST", `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, { scope: `${repository}:pull,push ${from}:pull` });
        await res.body?.cancel();
        return res.status === 201;
    }
    /**
     * Upload of a small blob in memory (configs, small layers): POST, PATCH, PUT with the digest, as
     * the streamed uploads do, so a dropped connection or a 5xx on any of them starts a new session
     * (a retried PUT to a session the registry already closed would only get 404).
     */
    async uploadBlob(repository, data) {
        const expected = { digest: sha256(data), size: data.length };
        await this.streamUpload(repository, () => external_node_stream_namespaceObject.Readable.from([data]), {
            expected,
            retries: this.backoff.length,
            readAgain: true,
        });
        return expected.digest;
    }
    /** POST .../blobs/uploads/: the new session's URL. */
    async startUpload(repository) {
        const start = await this.request("POST", `/v2/${repository}/blobs/uploads/`, {
            scope: `${repository}:pull,push`,
        });
        await start.body?.cancel();
        const location = start.headers.get("location");
        if (start.status !== 202 || !location)
            throw await this.unexpected(start, `start an upload to ${repository}`);
        return location;
    }
    /** A blob's bytes as a stream, or undefined when the registry has no such blob. Retried until bytes flow. */
    async openBlob(repository, digest) {
        const scope = `${repository}:pull`;
        const path = `/v2/${repository}/blobs/${digest}`;
        const res = await this.exchange(scope, true, (auth) => this.http().streamFetch(`${this.base}${path}`, { headers: auth }), (r) => void r.body.resume());
        if (res.status === 404) {
            res.body.resume();
            return undefined;
        }
        if (res.status !== 200) {
            res.body.resume();
            throw this.failed(res.status, `read blob ${repository}@${digest}`, "");
        }
        return res.body;
    }
    /** A blob's bytes as a stream (layers too large to hold in memory). */
    async getBlobStream(repository, digest) {
        const body = await this.openBlob(repository, digest);
        if (!body)
            throw this.failed(404, `read blob ${repository}@${digest}`, "");
        return body;
    }
    /**
     * Uploads a blob of known digest and size from a stream, never holding it in memory: POST, one
     * PATCH with the bytes (their digest checked on the way: a source that does not match fails the
     * upload before it is committed), PUT with the digest. A failed attempt (5xx, 429, a dropped
     * connection on either side, an expired token) starts a new upload session with a new stream
     * from `open`: the source is a registry, which can be read again.
     */
    async uploadBlobFrom(repository, blob, open) {
        await this.streamUpload(repository, open, {
            expected: blob,
            retries: this.backoff.length,
            readAgain: true,
        });
    }
    /**
     * Streams a blob of unknown digest into the repository (POST, one chunked PATCH, PUT with the
     * digest computed on the way); returns its digest and size. `body` as a stream is read once, so
     * a failed upload is not retried. As a function, each call makes the same bytes again (pre-export
     * re-tars and re-compresses a layer, recompression reads the layer again): a failure of the
     * registry it uploads to (5xx, 429, a dropped connection, an expired token) then starts a new
     * upload session with a new stream, and only then is `body` called again. A failure of the
     * stream itself (a file that vanished) is the caller's: it is thrown as it is, never retried.
     */
    async uploadBlobStream(repository, body) {
        const open = typeof body === "function" ? body : () => body;
        return this.streamUpload(repository, open, {
            retries: typeof body === "function" ? this.backoff.length : 0,
            readAgain: false,
        });
    }
    /**
     * The loop of the streamed uploads: a new upload session and a new stream per attempt, up to
     * `retries` more; `expected` checks the bytes against a known digest and size (and sends the
     * length), else they are hashed on the way; `readAgain`: a failing source is retried too.
     */
    async streamUpload(repository, open, o) {
        const scope = `${repository}:pull,push`;
        const what = o.expected
            ? `upload ${o.expected.digest} to ${repository}`
            : `stream a blob to ${repository}`;
        for (let attempt = 0;; attempt++) {
            const source = await open();
            let location;
            try {
                location = await this.startUpload(repository);
            }
            catch (err) {
                source.destroy();
                throw err;
            }
            // The request reads `counted`, so a failed request destroys it, never `source`: an error
            // `source` emits is its own.
            const counted = o.expected ? new DigestCheck(o.expected.digest, o.expected.size) : new BlobHash();
            let sourceFailed;
            source.on("error", (err) => {
                sourceFailed = err;
                counted.destroy(err);
            });
            source.pipe(counted);
            let status;
            let retryAfter = null;
            let challenge = null;
            let next = null;
            try {
                const patched = await this.http().streamFetch(new URL(location, this.base), {
                    method: "PATCH",
                    headers: {
                        ...this.auth.header(scope),
                        "Content-Type": "application/octet-stream",
                        ...(o.expected ? { "Content-Length": String(o.expected.size) } : {}),
                    },
                    body: counted,
                });
                patched.body.resume();
                this.answered = true;
                status = patched.status;
                retryAfter = patched.headers.get("retry-after");
                challenge = patched.headers.get("www-authenticate");
                next = patched.headers.get("location");
            }
            catch (err) {
                source.destroy();
                const cause = err.cause;
                if (cause instanceof MlBuildpacksError)
                    throw cause;
                if (sourceFailed && !o.readAgain)
                    throw sourceFailed;
                if (attempt >= o.retries)
                    return this.noAnswer(describeScope(scope), attempt + 1, err);
                await this.sleep(retryDelay(attempt, this.backoff, null, this.now()));
                continue;
            }
            if (status === 202 && next) {
                const { digest, size } = counted.result();
                const url = new URL(next, this.base);
                url.searchParams.set("digest", digest);
                await this.finishUpload(repository, `${url.pathname}${url.search}`, digest);
                return { digest, size };
            }
            source.destroy();
            const again = attempt < o.retries &&
                (isRetryableStatus(status) || (status === 401 && (await this.auth.challenged(challenge, scope))));
            if (!again) {
                if (status === 401 || status === 403)
                    throw this.refused(status, scope);
                throw this.failed(status, what, "");
            }
            if (status !== 401)
                await this.sleep(retryDelay(attempt, this.backoff, retryAfter, this.now()));
        }
    }
    /**
     * The PUT that commits an upload. When its answer is lost (a dropped connection, a 5xx from a
     * proxy after the registry committed) the retried PUT finds the session closed: the blob is then
     * asked for, and present means done.
     */
    async finishUpload(repository, path, digest) {
        const scope = `${repository}:pull,push`;
        let put;
        try {
            put = await this.request("PUT", path, { scope });
        }
        catch (err) {
            if (await this.blobExists(repository, digest).catch(() => false))
                return;
            throw err;
        }
        await put.body?.cancel();
        if (put.status === 201 || (await this.blobExists(repository, digest).catch(() => false)))
            return;
        throw await this.unexpected(put, `finish the upload of ${digest} to ${repository}`);
    }
    /** Pushes manifest bytes under a tag or digest; returns the registry's digest. */
    async putManifest(repository, reference, raw, mediaType) {
        const res = await this.request("PUT", `/v2/${repository}/manifests/${reference}`, {
            scope: `${repository}:pull,push`,
            body: raw,
            headers: { "Content-Type": mediaType },
        });
        await res.body?.cancel();
        if (res.status !== 201)
            throw await this.unexpected(res, `push manifest ${repository}:${reference}`);
        return res.headers.get("docker-content-digest") ?? sha256(raw);
    }
    /**
     * Deletes a manifest by digest; never throws. `deleted` only when the registry said it deleted
     * it (2xx). A 404 is `{ deleted: false, why: "not found", status: 404 }`: nothing was there, so
     * nothing was deleted. Registries that do not allow deletes answer 405 (or 400 UNSUPPORTED),
     * tokens without the delete right 401/403: `why` says so.
     */
    async deleteManifest(repository, digest) {
        try {
            const res = await this.request("DELETE", `/v2/${repository}/manifests/${digest}`, {
                scope: `${repository}:delete`,
            });
            await res.body?.cancel();
            if (res.ok)
                return { deleted: true, status: res.status };
            if (res.status === 404)
                return { deleted: false, why: "not found", status: 404 };
            return { deleted: false, why: `HTTP ${res.status}`, status: res.status };
        }
        catch (err) {
            return { deleted: false, why: err instanceof Error ? err.message : String(err) };
        }
    }
    /** A request whose body (if any) is in memory: retried on 5xx/429/dropped connections, authenticated on 401. */
    request(method, path, opts) {
        const body = opts.body !== undefined
            ? { body: typeof opts.body === "string" ? opts.body : new Uint8Array(opts.body) }
            : {};
        return this.exchange(opts.scope, true, (auth) => this.http().fetch(`${this.base}${path}`, { method, headers: { ...opts.headers, ...auth }, ...body }), (res) => res.body?.cancel());
    }
    /**
     * The loop around one request: a 401 follows the registry's challenge once (a new token, Basic
     * credentials), 429/5xx and dropped connections are retried after the backoff (or Retry-After)
     * when `retry`, a refusal (401/403 that auth cannot fix) is an error naming the action.
     */
    async exchange(scope, retry, send, discard) {
        let challenged = false;
        for (let attempt = 0;;) {
            let res;
            try {
                res = await send(this.auth.header(scope));
                this.answered = true;
            }
            catch (err) {
                // Our own errors (a CA file, a proxy setting, the token service) do not heal by waiting.
                if (err instanceof MlBuildpacksError)
                    throw err;
                if (retry && attempt < this.backoff.length) {
                    await this.sleep(retryDelay(attempt++, this.backoff, null, this.now()));
                    continue;
                }
                return this.noAnswer(describeScope(scope), attempt + 1, err);
            }
            if (res.status === 401 && !challenged) {
                challenged = true;
                await discard(res);
                if (await this.auth.challenged(res.headers.get("www-authenticate"), scope))
                    continue;
                throw this.refused(401, scope);
            }
            if (retry && isRetryableStatus(res.status) && attempt < this.backoff.length) {
                await discard(res);
                await this.sleep(retryDelay(attempt++, this.backoff, res.headers.get("retry-after"), this.now()));
                continue;
            }
            if (res.status === 401 || res.status === 403) {
                await discard(res);
                throw this.refused(res.status, scope);
            }
            return res;
        }
    }
    refused(status, scope) {
        return new MlBuildpacksError(messages.registryAuthFailed(this.registry, status, describeScope(scope), this.auth.anonymous));
    }
    failed(status, what, body) {
        return new MlBuildpacksError(messages.registryRequestFailed(this.registry, what, status, body));
    }
    async unexpected(res, what) {
        const text = (await res.text().catch(() => "")).slice(0, 500);
        return this.failed(res.status, what, text);
    }
    /**
     * Whether the registry deletes manifests of `repository`, asked without deleting anything: a
     * DELETE of a digest no manifest has. 404 (unknown manifest) or 2xx: deletes work. 405 (deletes
     * disabled: GHCR, docker-registry without storage.delete), 401/403 (the delete scope is not
     * granted) or any other answer: they don't, so nothing meant to be deleted may be pushed. Never rejects.
     */
    async deleteSupport(repository) {
        try {
            const res = await this.request("DELETE", `/v2/${repository}/manifests/sha256:${"0".repeat(64)}`, {
                scope: `${repository}:delete`,
            });
            await res.body?.cancel();
            if (res.ok || res.status === 404)
                return { supported: true, why: `HTTP ${res.status}` };
            return {
                supported: false,
                why: res.status === 405 ? "HTTP 405, deletes disabled" : `HTTP ${res.status}`,
            };
        }
        catch (err) {
            return { supported: false, why: err instanceof Error ? err.message : String(err) };
        }
    }
}
/** Passes a blob's bytes through, hashing and counting them: its digest and size once they are through. */
class BlobHash extends external_node_stream_namespaceObject.Transform {
    hash = (0,external_node_crypto_namespaceObject.createHash)("sha256");
    size = 0;
    digest;
    _transform(chunk, _enc, done) {
        this.hash.update(chunk);
        this.size += chunk.length;
        done(null, chunk);
    }
    /** After the last byte went through (the registry answered the PATCH). */
    result() {
        this.digest ??= `sha256:${this.hash.digest("hex")}`;
        return { digest: this.digest, size: this.size };
    }
}
/**
 * A BlobHash that fails at the end when the bytes are not the blob the manifest names (a corrupt
 * or changed source), so the upload is never committed.
 */
class DigestCheck extends BlobHash {
    expectedDigest;
    expectedSize;
    constructor(expectedDigest, expectedSize) {
        super();
        this.expectedDigest = expectedDigest;
        this.expectedSize = expectedSize;
    }
    _flush(done) {
        const { digest, size } = this.result();
        if (digest === this.expectedDigest && size === this.expectedSize) {
            done();
            return;
        }
        done(new MlBuildpacksError(messages.blobDigestMismatch(this.expectedDigest, this.expectedSize, digest, size)));
    }
}
function describeFetchError(err) {
    if (err instanceof Error) {
        const cause = err.cause;
        return cause?.code ? `${cause.code}: ${cause.message ?? ""}`.trim() : err.message;
    }
    return String(err);
}

;// CONCATENATED MODULE: ./src/core/registry/copy.ts



/**
 * Makes every blob of an image present in another repository: already there, mounted (same
 * registry) or streamed from the source into an upload (multi-GB layers never sit in memory; the
 * digest is checked on the way, and a failed upload re-opens the source). The manifest itself is
 * left to the caller (by digest or tag).
 */
async function copyBlobs(manifest, from, to) {
    const blobs = [manifest.body.config, ...(manifest.body.layers ?? [])].filter((d) => !!d);
    let mounted = 0;
    let copied = 0;
    for (const blob of blobs) {
        if (await to.client.blobExists(to.ref.repository, blob.digest))
            continue;
        if (from.ref.registry === to.ref.registry &&
            (await to.client.mountBlob(to.ref.repository, blob.digest, from.ref.repository))) {
            mounted++;
            continue;
        }
        const open = async () => {
            const body = await from.client.openBlob(from.ref.repository, blob.digest);
            if (!body)
                throw new MlBuildpacksError(messages.childMissing(`${formatImageRef(from.ref)} (blob ${blob.digest})`));
            return body;
        };
        await to.client.uploadBlobFrom(to.ref.repository, blob, open);
        copied++;
    }
    return { mounted, copied, present: blobs.length - mounted - copied };
}

;// CONCATENATED MODULE: ./src/core/manifest.ts





const formatPlatform = (p) => [p.os, p.architecture, p.variant].filter(Boolean).join("/");
function parsePlatform(text) {
    const [os, architecture, variant, extra] = text.split("/");
    if (!os || !architecture || extra !== undefined)
        return undefined;
    return { os, architecture, ...(variant ? { variant } : {}) };
}
/**
 * Pure: "linux/arm64=REF" -> its platform text, parsed platform (undefined when malformed) and REF.
 * A "=" after a ":" or "@" belongs to the reference, not to a platform prefix.
 */
function splitPlatformPrefix(spec) {
    const eq = spec.indexOf("=");
    const head = eq > 0 ? spec.slice(0, eq) : "";
    const platformText = head && !/[:@]/.test(head) ? head : undefined;
    const expected = platformText ? parsePlatform(platformText) : undefined;
    return { platformText, expected, rest: platformText ? spec.slice(eq + 1).trim() : spec };
}
/** Pure: "[os/arch[/variant]=]REF" -> a child; REF is a digest or a tag (pinned when it is checked). */
function parseChildSpec(spec) {
    const { platformText, expected, rest } = splitPlatformPrefix(spec);
    if (platformText && !expected)
        throw new MlBuildpacksError(messages.badChildSpec(spec));
    return { ref: parseImageRef(rest), expected };
}
/** Same platform, ignoring an arm64 "v8" variant that some tools set and others omit. */
function samePlatform(a, b) {
    const variant = (p) => (p.architecture === "arm64" && p.variant === "v8" ? undefined : p.variant);
    return a.os === b.os && a.architecture === b.architecture && variant(a) === variant(b);
}
/** Pure: the OCI image index bytes for these children, in the given order. */
function renderIndex(children) {
    const index = {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: children.map(({ manifest, platform }) => ({
            mediaType: manifest.mediaType,
            digest: manifest.digest,
            size: manifest.raw.length,
            platform: {
                os: platform.os,
                architecture: platform.architecture,
                ...(platform.variant ? { variant: platform.variant } : {}),
            },
        })),
    };
    return Buffer.from(JSON.stringify(index));
}
/**
 * Builds an OCI image index from per-arch images and pushes it. Every child is checked (exists, is a
 * single-platform image, has the platform asked for, appears once) before anything is written; children
 * in other repositories are copied in by digest (blob mounts within a registry); the tag is pushed last.
 */
async function createIndex(image, children, deps) {
    const { clientFor, log } = deps;
    const target = parseImageRef(image);
    if (target.digest || !target.tag)
        throw new MlBuildpacksError(messages.indexNeedsTag(image));
    if (children.length === 0)
        throw new MlBuildpacksError(messages.noChildren());
    const resolved = await log.group(`Checking ${children.length} image(s)`, async () => {
        const out = [];
        for (const child of children) {
            const shown = formatImageRef(child.ref);
            const client = clientFor(child.ref.registry);
            // A tag is pinned here: the index holds exactly the digest that was checked.
            const manifest = await client.getManifest(child.ref.repository, (child.ref.digest ?? child.ref.tag));
            if (!manifest)
                throw new MlBuildpacksError(messages.childMissing(shown));
            if (manifest.body.manifests)
                throw new MlBuildpacksError(messages.childIsIndex(shown));
            const config = await client.getConfig(child.ref.repository, manifest);
            if (!config)
                throw new MlBuildpacksError(messages.childMissing(`${shown} (its config blob)`));
            const { os, architecture, variant } = config;
            const platform = { os, architecture, ...(variant ? { variant } : {}) };
            if (child.expected && !samePlatform(child.expected, platform))
                throw new MlBuildpacksError(messages.childPlatformMismatch(shown, formatPlatform(child.expected), formatPlatform(platform)));
            const twin = out.find((o) => samePlatform(o.platform, platform) || o.manifest.digest === manifest.digest);
            if (twin)
                throw new MlBuildpacksError(messages.duplicateChild(twin.manifest.digest === manifest.digest
                    ? `the image ${manifest.digest}`
                    : `a ${formatPlatform(platform)} image`));
            log.info(`${formatPlatform(platform)}  ${shown}`);
            out.push({ child, manifest, platform });
        }
        return out;
    });
    const targetClient = clientFor(target.registry);
    await log.group(`Copying images into ${target.registry}/${target.repository}`, async () => {
        for (const { child, manifest } of resolved) {
            const sameRepo = child.ref.registry === target.registry && child.ref.repository === target.repository;
            if (sameRepo)
                continue;
            const { mounted, copied, present } = await copyBlobs(manifest, { ref: child.ref, client: clientFor(child.ref.registry) }, { ref: target, client: targetClient });
            await targetClient.putManifest(target.repository, manifest.digest, manifest.raw, manifest.mediaType);
            log.info(`${manifest.digest}: ${mounted} blob(s) mounted, ${copied} copied, ${present} already there`);
        }
    });
    const index = renderIndex(resolved);
    if (deps.beforeTag) {
        await targetClient.putManifest(target.repository, sha256(index), index, OCI_INDEX);
        await deps.beforeTag(sha256(index));
    }
    const digest = await log.group(`Pushing manifest list ${formatImageRef(target)}`, () => targetClient.putManifest(target.repository, target.tag, index, OCI_INDEX));
    if (digest !== sha256(index))
        log.warn(`the registry reports ${digest} for an index whose bytes hash to ${sha256(index)}`);
    return {
        image: formatImageRef(target),
        digest,
        manifests: resolved.map(({ manifest, platform }) => ({
            mediaType: manifest.mediaType,
            digest: manifest.digest,
            size: manifest.raw.length,
            platform,
        })),
    };
}

;// CONCATENATED MODULE: ./src/core/version.ts
/** ml-buildpacks' own version, recorded in builder labels and reports. Keep equal to package.json. */
const ML_BUILDPACKS_VERSION = "1.0.0";

;// CONCATENATED MODULE: ./src/core/workspace.ts
// What goes into the lifecycle's /workspace: the app directory without its top-level .git, without
// a layer cache kept inside the project (CI caches often live there, e.g. path ".") and without what
// a build writes there (the SBOM output dir): a build's outputs are never the next one's inputs. The
// fast path's source digest, the docker executor's copy and the local executor's copy all derive
// from this one rule, so the digest always covers exactly what the buildpacks see.

function workspaceSource(appDir, cacheDir, outputs = []) {
    const app = (0,external_node_path_namespaceObject.resolve)(appDir);
    const left = [cacheDir, ...outputs].filter((p) => !!p).map((p) => (0,external_node_path_namespaceObject.resolve)(p));
    return { appDir: app, excluded: [(0,external_node_path_namespaceObject.join)(app, ".git"), ...left] };
}
/** The excluded paths that lie inside the app, as "./<relative>" (tar --exclude's form). */
function excludedInside(ws) {
    return ws.excluded
        .map((p) => (0,external_node_path_namespaceObject.relative)(ws.appDir, p))
        .filter((rel) => rel !== "" && !rel.startsWith("..") && !(0,external_node_path_namespaceObject.isAbsolute)(rel))
        .map((rel) => `./${rel}`);
}
/** Whether an absolute path is left out of the workspace. */
function isExcluded(ws, path) {
    return ws.excluded.includes((0,external_node_path_namespaceObject.resolve)(path));
}

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./src/labels/app-reads.ts
// The app-reads labels: which app files each buildpack's build read. The buildpack library writes
// them (libcnb/app-reads.ts), the platform's fast path reads them (core/fast-path); this contract is
// the only thing the two share.
/** One label per buildpack: `<prefix><buildpack id with "/" as ".">`. */
const APP_READS_LABEL_PREFIX = "dev.ml-buildpacks.app-reads.";
function appReadsLabelKey(buildpack) {
    return `${APP_READS_LABEL_PREFIX}${buildpack.split("/").join(".")}`;
}
/** Pure: the app-reads labels of an image config, by buildpack id; malformed values are left out. */
function appReadsFromLabels(labels) {
    const out = new Map();
    for (const [key, value] of Object.entries(labels)) {
        if (!key.startsWith(APP_READS_LABEL_PREFIX))
            continue;
        try {
            const doc = JSON.parse(value);
            if (typeof doc.buildpack !== "string" || !Array.isArray(doc.files))
                continue;
            if (!doc.files.every((f) => typeof f === "string"))
                continue;
            out.set(doc.buildpack, {
                buildpack: doc.buildpack,
                files: doc.files,
                ...(typeof doc.wholeApp === "string" ? { wholeApp: doc.wholeApp } : {}),
            });
        }
        catch {
            // not ours: ignored, so the buildpack counts as undeclared
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/core/fast-path/app-tar.ts
const WORKSPACE = "/workspace";
/** archive.NormalizedModTime in the lifecycle. */
const MTIME = Date.UTC(1980, 0, 1, 0, 0, 1) / 1000;
const BLOCK = 512;
const NAME_SIZE = 100;
const PREFIX_SIZE = 155;
/** Pure: the layer's entries in the exporter's order (byte order of the full path). */
function layerEntries(tree) {
    const root = {
        name: WORKSPACE,
        kind: "dir",
        mode: tree.rootMode,
        size: 0,
        linkTarget: "",
        rel: "",
    };
    const rest = tree.entries.map((e) => ({
        name: `${WORKSPACE}/${e.path}`,
        kind: e.kind,
        mode: e.mode,
        size: e.size,
        linkTarget: e.linkTarget,
        rel: e.path,
    }));
    return [root, ...rest].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
/** Pure: why Go's tar writer would not use USTAR for this entry (undefined when it would). */
function notUstar(e, owner) {
    if (!isAscii(e.name) || !splitName(e.name))
        return `path ${JSON.stringify(e.name)} needs a PAX header`;
    if (!isAscii(e.linkTarget) || e.linkTarget.length > NAME_SIZE)
        return `symlink target of ${e.name} needs a PAX header`;
    if (e.size >= 8 ** 11)
        return `${e.name} is 8 GiB or larger`;
    if (owner.uid >= 8 ** 7 || owner.gid >= 8 ** 7)
        return "the CNB user id needs a PAX header";
    return undefined;
}
/** Go's splitUSTARPath: [prefix, name] for the header, or undefined when the name does not fit. */
function splitName(name) {
    if (name.length <= NAME_SIZE)
        return ["", name];
    let length = name.length;
    if (length > PREFIX_SIZE + 1)
        length = PREFIX_SIZE + 1;
    else if (name[length - 1] === "/")
        length--;
    const i = name.lastIndexOf("/", length - 1);
    const suffix = name.length - i - 1;
    if (i <= 0 || suffix > NAME_SIZE || suffix === 0 || i > PREFIX_SIZE)
        return undefined;
    return [name.slice(0, i), name.slice(i + 1)];
}
function isAscii(s) {
    for (let i = 0; i < s.length; i++)
        if (s.charCodeAt(i) > 0x7f)
            return false;
    return true;
}
/** Pure: one 512-byte USTAR header as Go's tar.Writer formats it. */
function ustarHeader(e, owner) {
    const split = splitName(e.name);
    if (!split)
        throw new Error(`${e.name} does not fit a USTAR header`);
    const [prefix, name] = split;
    const b = Buffer.alloc(BLOCK);
    const str = (off, len, s) => {
        b.write(s.slice(0, len), off, "latin1");
    };
    // Go: zero-padded octal that leaves room for a NUL terminator.
    const oct = (off, len, n) => str(off, len, n.toString(8).padStart(len - 1, "0"));
    str(0, 100, name);
    oct(100, 8, e.mode);
    oct(108, 8, owner.uid);
    oct(116, 8, owner.gid);
    oct(124, 12, e.kind === "file" ? e.size : 0);
    oct(136, 12, MTIME);
    b[156] = { file: 0x30, dir: 0x35, symlink: 0x32 }[e.kind];
    str(157, 100, e.linkTarget);
    str(257, 6, "ustar\0");
    str(263, 2, "00");
    oct(329, 8, 0);
    oct(337, 8, 0);
    str(345, 155, prefix);
    b.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of b)
        sum += byte;
    b.fill(0, 148, 156);
    oct(148, 7, sum);
    b[155] = 0x20;
    return b;
}
/**
 * The whole layer tar: headers, file bytes padded to 512, two zero blocks (Go writes no further
 * record padding). `read` gives a file's bytes by app-relative path.
 */
function appLayerTar(entries, owner, read) {
    const parts = [];
    for (const e of entries) {
        parts.push(ustarHeader(e, owner));
        if (e.kind !== "file")
            continue;
        const data = read(e.rel);
        if (data.length !== e.size)
            throw new Error(`${e.rel} changed while the app layer was written`);
        parts.push(data);
        const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
        if (pad)
            parts.push(Buffer.alloc(pad));
    }
    parts.push(Buffer.alloc(2 * BLOCK));
    return Buffer.concat(parts);
}

;// CONCATENATED MODULE: ./src/core/fast-path/go-json.ts
// JSON as Go's encoding/json writes it, for configs and labels the platform pushes in place of the
// lifecycle's: an app-layer swap must give the bytes a full build's exporter would, or the image ID
// differs. Go escapes <, >, & and U+2028/U+2029 and writes control characters other than \n, \r and
// \t as \u00XX; object keys keep the order given (a config read back keeps the exporter's order).
const ESCAPES = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
/** Pure: a string literal as Go writes it. */
function goString(s) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: Go escapes exactly these
    const escaped = s.replace(/[\u0000-\u001f"\\<>&\u2028\u2029]/g, (c) => {
        return ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    });
    return `"${escaped}"`;
}
/** Pure: compact JSON as Go's json.Marshal writes it (undefined members left out, as JSON.stringify does). */
function goJson(value) {
    if (typeof value === "string")
        return goString(value);
    if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined ? "null" : goJson(v))).join(",")}]`;
    if (value && typeof value === "object") {
        const members = Object.entries(value).filter(([, v]) => v !== undefined);
        return `{${members.map(([k, v]) => `${goString(k)}:${goJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value ?? null);
}

;// CONCATENATED MODULE: ./src/core/fast-path/inputs.ts


/**
 * What an image was built from. Images of 0.1 carry it as a label of this name; since 0.2 it is
 * the key under which the project metadata label keeps it (see projectMetadata).
 */
const INPUTS_LABEL = "dev.ml-buildpacks.inputs";
/** The label the exporter writes from the platform's <layers>/project-metadata.toml. */
const PROJECT_METADATA_LABEL = "io.buildpacks.project.metadata";
/** project-metadata.toml's source type for images that record their inputs. */
const PROJECT_SOURCE_TYPE = "ml-buildpacks";
const PART_NAMES = {
    source: "source files",
    env: "build env",
    builder: "builder image",
    runImage: "run image",
    buildpacks: "buildpack versions",
    options: "build options (platform, default process, lifecycle, ml-buildpacks version)",
};
/** sha256 of a canonical JSON text: object keys sorted, so the order callers build them in is irrelevant. */
function digestOf(value) {
    return `sha256:${(0,external_node_crypto_namespaceObject.createHash)("sha256").update(canonicalJson(value)).digest("hex")}`;
}
function canonicalJson(value) {
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(",")}]`;
    if (value && typeof value === "object")
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
            .join(",")}}`;
    return JSON.stringify(value ?? null);
}
/** Pure: the parts of a build's inputs from what the core knows before running any phase. */
function inputParts(i) {
    return {
        source: i.sourceDigest,
        env: digestOf(i.env),
        builder: i.builderDigest,
        runImage: i.runImageDigest,
        buildpacks: digestOf(i.buildpacks.map((b) => `${b.id}@${b.version}`).sort()),
        options: digestOf({
            platform: i.platform,
            defaultProcess: i.defaultProcess ?? "",
            lifecycle: i.lifecycleVersion,
            platformApi: i.platformApi,
            mlBuildpacks: i.toolVersion,
        }),
    };
}
function recordInputs(parts) {
    return { digest: digestOf(parts), parts };
}
/** Pure: reads the label back; undefined when it is missing or not ours. */
function parseInputsLabel(text) {
    if (!text)
        return undefined;
    try {
        const doc = JSON.parse(text);
        if (typeof doc.digest !== "string" || !doc.parts || typeof doc.parts !== "object")
            return undefined;
        return doc;
    }
    catch {
        return undefined;
    }
}
/** Pure: which inputs differ between the previous image and this build, in words. */
function changedInputs(previous, current) {
    return Object.keys(PART_NAMES)
        .filter((k) => previous.parts[k] !== current.parts[k])
        .map((k) => PART_NAMES[k]);
}
/** Pure: the recorded inputs as one text, keys sorted: the same whichever code path writes it. */
function inputsText(inputs) {
    const { digest, parts, app } = inputs;
    // DEL stays raw in JSON but TOML forbids it: escaped, it is the same JSON text to a reader.
    return canonicalJson(app === undefined ? { digest, parts } : { digest, parts, app }).replaceAll("\u007f", "\\u007f");
}
/**
 * Pure: <layers>/project-metadata.toml, which the exporter turns into the project metadata label.
 * The inputs go in before the export, so the exporter's image is final: no second config and
 * manifest to push (which would leave the exporter's untagged where a registry refuses deletes),
 * and nothing in a layer (a label of a buildpack's launch.toml would land in the launcher's config
 * layer, which an app-layer swap keeps).
 */
function projectMetadata(inputs) {
    return { source: { type: PROJECT_SOURCE_TYPE, metadata: { [INPUTS_LABEL]: inputsText(inputs) } } };
}
/**
 * Pure: the labels that record `inputs`, byte for byte as the exporter writes them from
 * projectMetadata (Go's json.Marshal of the lifecycle's ProjectMetadata: source's type, then its
 * metadata; the empty version left out).
 */
function inputsLabels(inputs) {
    return { [PROJECT_METADATA_LABEL]: goJson(projectMetadata(inputs)) };
}
/** Pure: the inputs an image records, from its project metadata label or the 0.1 inputs label. */
function inputsFromLabels(labels) {
    try {
        const project = JSON.parse(labels[PROJECT_METADATA_LABEL] ?? "{}");
        const text = project.source?.metadata?.[INPUTS_LABEL];
        if (project.source?.type === PROJECT_SOURCE_TYPE && typeof text === "string")
            return parseInputsLabel(text);
    }
    catch {
        // not JSON: fall through to the older label
    }
    return parseInputsLabel(labels[INPUTS_LABEL]);
}

;// CONCATENATED MODULE: ./src/core/fast-path/source-digest.ts




/**
 * sha256 of the source tree: every entry's path, kind, executable bit and content. Ownership and
 * times are left out because the lifecycle normalises them in the app layer.
 */
function digestOfTree(tree) {
    const { entries } = tree;
    return { digest: digestOfEntries(entries), files: entries.filter((e) => e.kind === "file").length };
}
function listSourceTree(appDir, skip) {
    const root = (0,external_node_path_namespaceObject.resolve)(appDir);
    return {
        root,
        rootMode: (0,external_node_fs_namespaceObject.lstatSync)(root).mode & 0o7777,
        entries: listTree(root, new Set(skip.map((p) => (0,external_node_path_namespaceObject.resolve)(p)))),
    };
}
/** Pure: the digest of a listing (sorted by the caller). */
function digestOfEntries(entries) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)("sha256");
    for (const e of entries)
        hash.update(`${e.kind}\0${e.path}\0${e.executable ? "x" : "-"}\0${e.content}\n`);
    return `sha256:${hash.digest("hex")}`;
}
function listTree(root, skip) {
    const out = [];
    const walk = (dir) => {
        for (const name of utf8Names(dir).sort()) {
            const path = (0,external_node_path_namespaceObject.join)(dir, name);
            if (skip.has(path))
                continue;
            const stat = (0,external_node_fs_namespaceObject.lstatSync)(path);
            const rel = (0,external_node_path_namespaceObject.relative)(root, path).split(external_node_path_namespaceObject.sep).join("/");
            const executable = (stat.mode & 0o111) !== 0;
            const mode = stat.mode & 0o7777;
            if (stat.isSymbolicLink()) {
                const target = (0,external_node_fs_namespaceObject.readlinkSync)(path);
                const link = { kind: "symlink", executable: false, content: target, linkTarget: target };
                out.push({ path: rel, ...link, mode, size: 0 });
            }
            else if (stat.isDirectory()) {
                out.push({ path: rel, kind: "dir", executable: false, content: "", mode, size: 0, linkTarget: "" });
                walk(path);
            }
            else if (stat.isFile()) {
                const content = fileSha256(path);
                out.push({ path: rel, kind: "file", executable, content, mode, size: stat.size, linkTarget: "" });
            }
        }
    };
    walk(root);
    return out;
}
/**
 * The names in `dir`; a name that is not UTF-8 is refused: Node would hand it over with U+FFFD in
 * place of its bytes (a path that does not exist), and image layers, logs and Python tools all
 * expect UTF-8 names.
 */
function utf8Names(dir) {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    return (0,external_node_fs_namespaceObject.readdirSync)(dir, { encoding: "buffer" }).map((raw) => {
        try {
            return decoder.decode(raw);
        }
        catch {
            const shown = [...raw]
                .map((b) => b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)
                .join("");
            throw new MlBuildpacksError({
                title: `the app has a file whose name is not UTF-8: ${shown}`,
                location: { file: (0,external_node_path_namespaceObject.join)(dir, shown) },
                detail: "Image layers, build logs and Python's tools expect UTF-8 file names.",
                hint: `rename it with a UTF-8 name (e.g. convmv -f latin1 -t utf8 --notest -r ${dir}), or delete it`,
            });
        }
    });
}
/** Reads in chunks: model files in an app can be larger than a Node buffer may be. */
function fileSha256(path) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)("sha256");
    const buf = Buffer.allocUnsafe(1 << 20);
    const fd = (0,external_node_fs_namespaceObject.openSync)(path, "r");
    try {
        for (let n = (0,external_node_fs_namespaceObject.readSync)(fd, buf); n > 0; n = (0,external_node_fs_namespaceObject.readSync)(fd, buf))
            hash.update(buf.subarray(0, n));
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
    return hash.digest("hex");
}

;// CONCATENATED MODULE: ./src/core/fast-path/app-layer.ts
// The code-change path: when only app files that no buildpack read have changed, the previous
// image's app layer is replaced and no phase runs. Every buildpack labels the image with the app
// files its build read (libcnb/app-reads.ts); the inputs label then records those files and a key
// over them and the tree's shape. Adds, removals and renames change the shape: detect may decide
// differently, so they always take a full build.








/** The label the lifecycle writes with the layers of an image (its `app` entry is the app layer). */
const LIFECYCLE_METADATA_LABEL = "io.buildpacks.lifecycle.metadata";
/** Larger apps take the full build: the layer is built in memory. */
const MAX_APP_LAYER_BYTES = 256 * 1024 * 1024;
/** Pure: digest of the tree's shape (every path and kind, not the content). */
function shapeDigest(tree) {
    return digestOf(tree.entries.map((e) => `${e.kind}:${e.path}`));
}
/** Pure: the key from the shape's digest and each read file's content digest (`read`). */
function appKey(shape, files, read) {
    return digestOf({ shape, reads: [...files].sort().map((f) => `${f}:${read(f)}`) });
}
/** Pure-ish: the key over the tree's shape and the bytes of the files the buildpacks read. */
function appLayerKey(tree, files) {
    return appKey(shapeDigest(tree), files, (f) => readContent(tree.root, f));
}
/**
 * The app layer's diffID and the tree's shape, before the build (no gzip: only the digest is
 * wanted), or why the tree can't become a layer like the exporter's.
 */
function planAppLayer(tree, owner) {
    const checked = checkedEntries(tree, owner);
    if ("problem" in checked)
        return checked;
    const tar = appLayerTar(checked.entries, owner, (rel) => (0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(tree.root, rel)));
    return { layer: `sha256:${(0,external_node_crypto_namespaceObject.createHash)("sha256").update(tar).digest("hex")}`, shape: shapeDigest(tree) };
}
/**
 * After the builder, before the exporter (pre-export): the record for the next build, from the
 * buildpacks' labels (which app files they read) and the workspace (those files' content).
 */
function recordFromBuild(labels, group, plan, workspace) {
    const reads = groupReads(labels, group);
    if ("reason" in reads)
        return reads;
    const key = appKey(plan.shape, reads.files, (f) => readContent(workspace, f));
    return { record: { files: reads.files, key, layer: plan.layer } };
}
/** A read file's content digest, through symlinks as the buildpack read it. */
function readContent(root, rel) {
    const path = (0,external_node_path_namespaceObject.join)(root, rel);
    try {
        return (0,external_node_fs_namespaceObject.statSync)(path).isFile() ? fileSha256(path) : "not-a-file";
    }
    catch {
        return "absent";
    }
}
/** The app layer of this tree, or why it can't be made like the exporter's. */
function buildAppLayer(tree, owner) {
    const checked = checkedEntries(tree, owner);
    if ("problem" in checked)
        return checked;
    const tar = appLayerTar(checked.entries, owner, (rel) => (0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(tree.root, rel)));
    return {
        diffId: `sha256:${(0,external_node_crypto_namespaceObject.createHash)("sha256").update(tar).digest("hex")}`,
        gzip: (0,external_node_zlib_namespaceObject.gzipSync)(tar),
        files: tree.entries.filter((e) => e.kind === "file").length,
    };
}
function checkedEntries(tree, owner) {
    const entries = layerEntries(tree);
    const total = entries.reduce((n, e) => n + e.size, 0);
    if (total > MAX_APP_LAYER_BYTES)
        return { problem: `the app is ${Math.round(total / 2 ** 20)} MiB, over the app-layer limit` };
    for (const e of entries) {
        const problem = notUstar(e, owner);
        if (problem)
            return { problem };
    }
    return { entries };
}
/** Pure: the single app layer's diffID from the lifecycle's metadata label. */
function appLayerDiffId(labels) {
    try {
        const doc = JSON.parse(labels[LIFECYCLE_METADATA_LABEL] ?? "{}");
        const [only, ...more] = doc.app ?? [];
        return more.length === 0 && typeof only?.sha === "string" ? only.sha : undefined;
    }
    catch {
        return undefined;
    }
}
/** Pure: the app files every buildpack of the group read, or why the group can't say. */
function groupReads(labels, group) {
    const declared = appReadsFromLabels(labels);
    const files = new Set();
    if (group.length === 0)
        return { reason: "the image names no buildpacks" };
    for (const bp of group) {
        const reads = declared.get(bp.id);
        if (!reads)
            return { reason: `${bp.id} does not say which app files it reads` };
        if (reads.wholeApp)
            return { reason: `${bp.id} depends on every app file (${reads.wholeApp})` };
        for (const f of reads.files)
            files.add(f);
    }
    return { files: [...files].sort() };
}
/**
 * After a full build: the record that lets the next code-only change swap the app layer, or why it
 * can't. The exporter's app layer must be exactly the tree (no buildpack wrote into /workspace).
 */
function recordAppLayer(labels, group, tree, owner) {
    const reads = groupReads(labels, group);
    if ("reason" in reads)
        return reads;
    const exported = appLayerDiffId(labels);
    if (!exported)
        return { reason: "the image has no single app layer (slices?)" };
    const layer = buildAppLayer(tree, owner);
    if ("problem" in layer)
        return { reason: layer.problem };
    if (layer.diffId !== exported)
        return { reason: "the exported app layer differs from the source (a buildpack wrote into /workspace?)" };
    return { record: { files: reads.files, key: appLayerKey(tree, reads.files) } };
}
/** Pure: reads the record back from a parsed inputs label; undefined when absent or malformed. */
function parseAppLayerRecord(value) {
    if (!value || typeof value !== "object")
        return undefined;
    const { files, key, layer } = value;
    if (typeof key !== "string" || !Array.isArray(files) || !files.every((f) => typeof f === "string"))
        return undefined;
    return { files, key, ...(typeof layer === "string" ? { layer } : {}) };
}
/**
 * Pure: the config and manifest with the app layer replaced (its diffID in rootfs and in the
 * lifecycle's metadata label, its blob in the manifest) and the labels given set.
 */
function swapAppLayer(config, manifest, layer, labels) {
    const current = config.config?.Labels ?? {};
    const old = appLayerDiffId(current);
    const diffIds = config.rootfs?.diff_ids ?? [];
    const layers = manifest.layers ?? [];
    if (!old)
        return { problem: "the previous image has no single app layer" };
    const index = diffIds.indexOf(old);
    if (index < 0 || diffIds.lastIndexOf(old) !== index || layers.length !== diffIds.length)
        return { problem: "the previous image's app layer can't be told apart from its other layers" };
    const metadata = current[LIFECYCLE_METADATA_LABEL].split(old).join(layer.diffId);
    return {
        config: {
            ...config,
            rootfs: { ...config.rootfs, diff_ids: diffIds.map((d, i) => (i === index ? layer.diffId : d)) },
            config: {
                ...config.config,
                Labels: { ...current, [LIFECYCLE_METADATA_LABEL]: metadata, ...labels },
            },
        },
        manifest: {
            ...manifest,
            layers: layers.map((l, i) => (i === index ? { ...l, digest: layer.digest, size: layer.size } : l)),
        },
    };
}

;// CONCATENATED MODULE: ./src/core/fast-path/notes.ts
/** The fast path's log lines, in one place. */
const fastPathNotes = {
    daemon: "off: it compares with the image in the registry, and this build exports to the Docker daemon",
    disabled: "off (--no-fast-path): running every phase",
    clearCache: "skipped: the cache is being cleared, so everything is rebuilt",
    hit: (files) => `inputs unchanged (${files} source file(s), build env, builder, run image, buildpacks, options): reusing the previous image`,
    appOnly: (files) => `only app files that no buildpack reads changed (${files} source file(s)): replacing the app layer of the previous image, no phase runs`,
    refreshDue: (due, reason) => `the previous image was due for a rebuild at ${due}: ${reason}`,
    appSwapFailed: (why) => `could not replace the app layer (${why}); running every phase`,
    appSwapReady: (files) => `a later change to other app files only replaces the app layer (the buildpacks read ${files.length ? files.join(", ") : "no app file"})`,
    appSwapNotReady: (why) => `a later code change runs every phase: ${why}`,
    inputsLost: "the build's inputs could not go into the exporter's image, and this registry would keep a relabelled copy's predecessor as an untagged leftover: the image records no inputs, so the next build runs in full",
    stampFailed: (why) => `could not record the build's inputs on the image (${why}); the next build will run in full`,
};

;// CONCATENATED MODULE: ./src/labels/refresh-due.ts
// The refresh-due labels: when an image must be built again although none of its inputs changed.
// The buildpack library writes them (libcnb/refresh.ts), the platform's fast path reads them.
/** One label per buildpack: `<prefix><buildpack id with "/" as ".">`. */
const REFRESH_LABEL_PREFIX = "dev.ml-buildpacks.refresh-due.";
function refreshLabelKey(buildpack) {
    return `${REFRESH_LABEL_PREFIX}${buildpack.split("/").join(".")}`;
}
/** Pure: the refresh that fell due first at `now` (ms since the epoch), if any; malformed labels are ignored. */
function dueRefresh(labels, now) {
    let first;
    for (const [key, value] of Object.entries(labels)) {
        if (!key.startsWith(REFRESH_LABEL_PREFIX))
            continue;
        const parsed = parseRefreshDue(value);
        const at = parsed ? Date.parse(parsed.due) : Number.NaN;
        if (!parsed || Number.isNaN(at) || at > now)
            continue;
        if (!first || at < first.at)
            first = { due: parsed, at };
    }
    return first?.due;
}
function parseRefreshDue(value) {
    try {
        const doc = JSON.parse(value);
        if (typeof doc.buildpack !== "string" || typeof doc.due !== "string" || typeof doc.reason !== "string")
            return undefined;
        return { buildpack: doc.buildpack, due: doc.due, reason: doc.reason };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/core/fast-path/registry.ts








/** The label the lifecycle writes with the buildpacks that built an image. */
const BUILD_METADATA_LABEL = "io.buildpacks.build.metadata";
/**
 * Reads the previous image's manifest and config. Never rejects, so it can start early and be
 * awaited later; a registry error comes back as `error` for the caller to throw.
 */
async function readPreviousImage(client, target) {
    const shown = formatImageRef(target);
    try {
        const manifest = await client.getManifest(target.repository, target.tag ?? target.digest ?? "latest");
        if (!manifest)
            return { reason: `no previous image at ${shown}` };
        if (manifest.body.manifests || !manifest.body.config)
            return { reason: `${shown} holds a manifest list, not a single image` };
        return { manifest, config: await client.getConfig(target.repository, manifest), shown };
    }
    catch (error) {
        return { reason: `could not read the previous image at ${shown}`, error };
    }
}
/**
 * Pure: compares this build's inputs with those recorded on the previous image; an image a buildpack
 * asked to rebuild by `now` (ms since the epoch) stands for nothing, not even a code-change swap.
 */
function checkPreviousImage(read, inputs, now) {
    if ("reason" in read)
        return { hit: false, reason: read.reason };
    const { manifest, config, shown } = read;
    const labels = config?.config?.Labels ?? {};
    const previous = inputsFromLabels(labels);
    if (!previous)
        return { hit: false, reason: `the previous image at ${shown} records no inputs` };
    const due = dueRefresh(labels, now);
    if (due)
        return { hit: false, reason: fastPathNotes.refreshDue(due.due, due.reason) };
    if (previous.digest !== inputs.digest) {
        const changed = changedInputs(previous, inputs);
        return {
            hit: false,
            reason: `changed since the previous image: ${changed.join(", ") || "input format"}`,
            ...(config ? { previous: { manifest, config, inputs: previous, changed } } : {}),
        };
    }
    return { hit: true, manifest, buildpacks: buildpacksOf(labels[BUILD_METADATA_LABEL]) };
}
/**
 * Adds the inputs label to the image the exporter pushed, under the target tag and every additional
 * tag, with the app-layer record `appRecord` makes from the exported image's labels. Returns the new
 * manifest digest. Leaves the exporter's manifest untagged: only for registries that delete (the
 * build deletes it), and only when pre-export could not give the exporter the label.
 */
function stampInputs(clientFor, target, exportedDigest, inputs, additionalTags, appRecord = () => undefined) {
    return addLabels(clientFor, { ...target, digest: exportedDigest }, (labels) => {
        const app = appRecord(labels);
        const layer = appLayerDiffId(labels);
        return inputsLabels(app && layer ? { ...inputs, app: { ...app, layer } } : inputs);
    }, [target, ...additionalTags]);
}
/**
 * Pushes a copy of an image (ref with its digest) with more labels (given, or made from its
 * current ones): a new config blob and manifest, the same layers, tagged as each of `as` (blobs
 * copied into other repositories); returns its digest.
 */
async function addLabels(clientFor, image, more, as) {
    const client = clientFor(image.registry);
    const reference = image.digest ?? image.tag ?? "latest";
    const manifest = await client.getManifest(image.repository, reference);
    const config = manifest && (await client.getConfig(image.repository, manifest));
    if (!manifest?.body.config || !config)
        throw new Error(`${formatImageRef(image)} is not a readable single-platform image`);
    const current = config.config?.Labels ?? {};
    const labels = typeof more === "function" ? more(current) : more;
    config.config = { ...config.config, Labels: { ...current, ...labels } };
    return (await pushImage(clientFor, image, manifest, config, manifest.body, as)).digest;
}
/** Uploads a config, puts the manifest that names it by digest, then moves every tag of `as` to it. */
async function pushImage(clientFor, image, previous, config, manifestBody, as) {
    const client = clientFor(image.registry);
    // As Go writes it: a swapped config is then byte for byte the exporter's for the same tree.
    const configRaw = Buffer.from(goJson(config));
    const configDigest = await client.uploadBlob(image.repository, configRaw);
    const body = {
        ...manifestBody,
        config: { ...manifestBody.config, digest: configDigest, size: configRaw.length },
    };
    const raw = Buffer.from(JSON.stringify(body));
    // By digest first (untagged), so every tag below points at a manifest the registry already holds.
    const digest = await client.putManifest(image.repository, sha256(raw), raw, previous.mediaType);
    const pushed = { ...previous, raw, body, digest };
    await tagImage(clientFor, { ...image, digest }, pushed, as);
    return pushed;
}
/**
 * The code-change path's push: the previous image (at `source`) with `layer` as its app layer and
 * the new inputs (with `record`, now naming the new layer), as the target and every other tag of
 * `as` (the first is the target).
 */
async function pushAppLayerSwap(clientFor, source, previous, layer, inputs, record, as) {
    const target = as[0];
    const client = clientFor(target.registry);
    if (source.registry !== target.registry || source.repository !== target.repository)
        await copyBlobs(previous.manifest, { ref: source, client: clientFor(source.registry) }, { ref: target, client });
    const digest = await client.uploadBlob(target.repository, layer.gzip);
    const swapped = swapAppLayer(previous.config, previous.manifest.body, { diffId: layer.diffId, digest, size: layer.gzip.length }, inputsLabels({ ...inputs, app: { ...record, layer: layer.diffId } }));
    if ("problem" in swapped)
        throw new Error(swapped.problem);
    return pushImage(clientFor, target, previous.manifest, swapped.config, swapped.manifest, as);
}
/** Points further tags at an image of the target repository, copying blobs into other repositories. */
async function tagImage(clientFor, source, manifest, tags) {
    for (const tag of tags) {
        const client = clientFor(tag.registry);
        if (tag.registry !== source.registry || tag.repository !== source.repository)
            await copyBlobs(manifest, { ref: source, client: clientFor(source.registry) }, { ref: tag, client });
        await client.putManifest(tag.repository, tag.tag ?? "latest", manifest.raw, manifest.mediaType);
    }
}
function buildpacksOf(label) {
    try {
        const doc = JSON.parse(label ?? "{}");
        return (doc.buildpacks ?? []).map(({ id, version }) => ({ id, version }));
    }
    catch {
        return [];
    }
}

;// CONCATENATED MODULE: ./src/core/fast-path/index.ts










/**
 * This build's inputs, or why they can't be pinned down (then the build runs in full and the image
 * gets no inputs label).
 */
async function collectInputs(req, builder, platformApi, clientFor) {
    const runImage = req.runImage ?? builder.runImages[0];
    if (!runImage)
        return { reason: "the builder names no run image" };
    const runImageRead = registryDigest(runImage, builder.platform, clientFor);
    // The image ID (config digest) names the builder's content whichever repository it came from; the
    // local executor runs inside the builder and knows it only by reference, so it asks the registry.
    const builderRead = builder.imageId || builder.digest || registryDigest(req.builder, builder.platform, clientFor);
    // Hashed while the registry answers.
    // The digest covers what the executors copy into the workspace (workspace.ts).
    const tree = listSourceTree(req.appDir, workspaceSource(req.appDir, req.cacheDir, [req.sbomOutputDir]).excluded);
    const source = digestOfTree(tree);
    const [runImageDigest, builderDigest] = await Promise.all([runImageRead, builderRead]);
    if (!runImageDigest)
        return { reason: `the run image ${runImage} is not in a registry` };
    if (!builderDigest)
        return { reason: `the digest of the builder ${req.builder} is unknown` };
    const parts = inputParts({
        sourceDigest: source.digest,
        env: req.env,
        builderDigest,
        runImageDigest,
        buildpacks: builder.buildpacks,
        platform: builder.platform,
        defaultProcess: req.defaultProcess,
        lifecycleVersion: builder.lifecycleVersion,
        platformApi,
        toolVersion: ML_BUILDPACKS_VERSION,
    });
    return { inputs: recordInputs(parts), files: source.files, tree };
}
/** The digest of the platform's image behind a reference (an index resolves to its child). */
async function registryDigest(ref, platform, clientFor) {
    const parsed = parseImageRef(ref);
    const manifest = await clientFor(parsed.registry)
        .getManifest(parsed.repository, parsed.digest ?? parsed.tag ?? "latest")
        .catch(() => undefined);
    if (!manifest)
        return undefined;
    if (!manifest.body.manifests)
        return manifest.digest;
    const wanted = parsePlatform(platform);
    return manifest.body.manifests.find((m) => wanted && m.platform && samePlatform(m.platform, wanted))
        ?.digest;
}
/**
 * Decides whether the image at the target tag (or --previous-image) can stand for this build.
 * `previousRead` is that image's read when the caller started it early (it overlaps the builder's).
 */
async function decideFastPath(req, builder, platformApi, clientFor, previousRead, now = Date.now) {
    const off = (reason) => ({ inputs: undefined, reuse: undefined, reason });
    if (!req.publish)
        return off(fastPathNotes.daemon);
    const collected = await collectInputs(req, builder, platformApi, clientFor);
    if ("reason" in collected)
        return off(collected.reason);
    const { inputs, tree } = collected;
    // Either flag asks for a full build; the image it makes still records its inputs for the next one.
    if (!req.fastPath)
        return { inputs, tree, reuse: undefined, reason: fastPathNotes.disabled };
    if (req.clearCache)
        return { inputs, tree, reuse: undefined, reason: fastPathNotes.clearCache };
    const read = await (previousRead ?? startPreviousRead(req, clientFor));
    if ("error" in read && read.error)
        throw read.error;
    const check = checkPreviousImage(read, inputs, now());
    if (check.hit)
        return { inputs, tree, reuse: check, reason: fastPathNotes.hit(collected.files) };
    const swap = check.previous && appSwap(check.previous, tree);
    return swap
        ? { inputs, tree, reuse: undefined, swap, reason: fastPathNotes.appOnly(collected.files) }
        : { inputs, tree, reuse: undefined, reason: check.reason };
}
/** Reads the image this build compares with: --previous-image, or what the target tag holds now. */
function startPreviousRead(req, clientFor) {
    const previous = parseImageRef(req.previousImage ?? req.image);
    return readPreviousImage(clientFor(previous.registry), previous);
}
/**
 * The previous image can take the new app layer when the source files are all that changed, the
 * tree has the same shape (no file added, removed or renamed), no file a buildpack read changed and
 * its app layer is the one its record names (the exporter's layer was the source tree itself).
 */
function appSwap(previous, tree) {
    const record = parseAppLayerRecord(previous.inputs.app);
    if (!record || previous.changed.length !== 1 || previous.changed[0] !== PART_NAMES.source)
        return undefined;
    if (!record.layer || record.layer !== appLayerDiffId(previous.config.config?.Labels ?? {}))
        return undefined;
    return appLayerKey(tree, record.files) === record.key ? { previous, record } : undefined;
}

;// CONCATENATED MODULE: ./src/core/lifecycle/output.ts
function emptyActivity() {
    return { added: [], reused: [], cacheAdded: [], cacheReused: [] };
}
const PATTERNS = [
    // Pre-export pushed the layer; the exporter then "reuses" it (not counted twice, below).
    [/^Pre-exported layer '(.+?)':/, "added"],
    [/^Reusing cache layer '(.+)'$/, "cacheReused"],
    [/^Adding cache layer '(.+)'$/, "cacheAdded"],
    [/^Reusing layer '(.+)'$/, "reused"],
    [/^Adding layer '(.+)'$/, "added"],
];
/** Pure: folds one exporter output line into the activity record. */
function recordExporterLine(activity, line) {
    const text = line.trim();
    for (const [pattern, key] of PATTERNS) {
        const match = pattern.exec(text);
        if (match?.[1]) {
            if (key !== "reused" || !activity.added.includes(match[1]))
                activity[key].push(match[1]);
            return;
        }
    }
    const app = /^(Reused|Added) (\d+)\/(\d+) app layer\(s\)$/.exec(text);
    if (app) {
        const count = Number(app[2]);
        for (let i = 0; i < count; i++)
            activity[app[1] === "Reused" ? "reused" : "added"].push(`app${count > 1 ? `-${i + 1}` : ""}`);
    }
}
const DETECT_NOISE = /^(Starting detector|Parsing inputs|Ensuring privileges|Executing command|Timer: |Checking for match|Resolving plan|skip: )/;
/** Pure: the detector's debug lines worth showing a person when detection failed. */
function detectFailureLines(lines) {
    return lines.filter((line) => !DETECT_NOISE.test(line.trim()));
}
/** Pure: "buildpack: what it looked for" per buildpack, once each, from the detector's debug output. */
function detectFailureReasons(lines) {
    const reasons = new Map();
    let current;
    for (const line of lines) {
        const header = /^======== (Output: (.+)|Results) ========$/.exec(line.trim());
        if (header) {
            current = header[2];
            if (current && !reasons.has(current))
                reasons.set(current, []);
            else if (current)
                current = undefined; // seen in an earlier group: skip the repeat
            continue;
        }
        if (current && line.trim())
            reasons.get(current)?.push(line.trim());
    }
    // A buildpack's rendered error ("! ERROR: <title>", then "!   in <file:line>") is printed in full
    // above: the summary names it in one line instead of gluing its paragraphs together.
    return [...reasons]
        .filter(([, r]) => r.length > 0)
        .map(([bp, r]) => {
        const error = r.findIndex((l) => l.startsWith("! ERROR: "));
        if (error < 0)
            return `${bp}: ${r.join(" ")}`;
        const where = /^!\s+in (.+)$/.exec(r[error + 1] ?? "")?.[1];
        return `${bp}: ${(r[error] ?? "").slice(9)}${where ? ` (${where})` : ""}; its message is above`;
    });
}
/**
 * Pure: the buildpack group from the creator's detect output ("3 of 3 buildpacks participating"
 * followed by "<id> <version>" lines); the separate detector's group.toml serves otherwise.
 */
function groupFromCreatorOutput(lines) {
    const start = lines.findIndex((l) => /^\d+ of \d+ buildpacks participating$/.test(l.trim()));
    if (start < 0)
        return [];
    const group = [];
    for (const line of lines.slice(start + 1)) {
        const match = /^([a-z0-9][\w./-]*)\s+(\d[\w.+-]*)$/i.exec(line.trim());
        if (!match?.[1] || !match[2])
            break;
        group.push({ id: match[1], version: match[2] });
    }
    return group;
}

;// CONCATENATED MODULE: ./src/core/sbom/locate.ts
const locate_LIFECYCLE_METADATA_LABEL = "io.buildpacks.lifecycle.metadata";
/** Pure: the SBOM layer's descriptor in `manifest`, or why there is none. */
function sbomLayerOf(manifest, config) {
    const raw = config.config?.Labels?.[locate_LIFECYCLE_METADATA_LABEL];
    if (!raw)
        return { missing: `it has no ${locate_LIFECYCLE_METADATA_LABEL} label (not built with buildpacks)` };
    let diffId;
    try {
        diffId = JSON.parse(raw).sbom?.sha;
    }
    catch {
        return { missing: `its ${locate_LIFECYCLE_METADATA_LABEL} label is not JSON` };
    }
    if (typeof diffId !== "string" || !diffId)
        return { missing: "it has no SBOM layer (none of its buildpacks wrote an SBOM)" };
    const index = (config.rootfs?.diff_ids ?? []).indexOf(diffId);
    const layer = index < 0 ? undefined : manifest.body.layers?.[index];
    if (!layer)
        return { missing: `its SBOM layer ${diffId} is not among the image's layers` };
    return { layer, diffId };
}
/** "linux-amd64" (with "-<variant>" where the config has one): the per-platform folder name. */
function platformDir(config) {
    const os = typeof config.os === "string" ? config.os : "unknown";
    const arch = typeof config.architecture === "string" ? config.architecture : "unknown";
    return typeof config.variant === "string" && config.variant
        ? `${os}-${arch}-${config.variant}`
        : `${os}-${arch}`;
}
/**
 * The output path of a tar entry of the SBOM layer, relative to the platform folder, as
 * `pack sbom download` lays it out (layers/sbom/launch/<buildpack>/<layer>/sbom.<ext>); undefined for
 * entries outside layers/sbom/ or that would climb out of it.
 */
function outputPath(entryName) {
    const parts = entryName.replace(/^\/+/, "").replace(/\/+$/, "").split("/");
    if (parts.some((p) => p === ".." || p === "." || p === ""))
        return undefined;
    if (parts[0] !== "layers" || parts[1] !== "sbom")
        return undefined;
    return parts.join("/");
}

;// CONCATENATED MODULE: ./src/core/sbom/messages.ts
// What --sbom-output-dir says when it cannot do its work.
const sbomMessages = {
    unreadable: (image, what) => ({
        title: `Could not read the SBOM of ${image}: ${what}`,
        detail: "The image was pushed; only writing its SBOM to the output directory failed.",
        hint: "run the build again (the registry may have failed for a moment), or download the SBOM later with `pack sbom download`",
    }),
    noSbom: (dir, image, why) => `No SBOM written to ${dir}: the image ${image} ${why}`,
    saved: (image, platform, files, dir) => `SBOM of ${image} (${platform}): ${files} files in ${dir}`,
    unwritable: (dir, why) => ({
        title: `Could not write the SBOM to ${dir}: ${why}`,
        hint: "choose an --sbom-output-dir (action input sbom-output-dir) this user can write to",
    }),
};

;// CONCATENATED MODULE: ./src/core/sbom/tar.ts
// Reads the entries of an uncompressed tar (ustar, with the PAX and GNU long-name extensions Go's
// archive/tar writes, as the lifecycle's layers have). Pure; only what the SBOM layer needs:
// regular files and directories, by name.
const tar_BLOCK = 512;
function field(header, start, length) {
    const raw = header.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? length : end).toString("utf8");
}
function octal(header, start, length) {
    const text = field(header, start, length).trim();
    const n = text === "" ? 0 : Number.parseInt(text, 8);
    if (!Number.isFinite(n) || n < 0)
        throw new Error(`tar: bad number field "${text}"`);
    return n;
}
/** PAX extended header records ("<len> key=value\n"). */
function paxRecords(data) {
    const out = new Map();
    let at = 0;
    while (at < data.length) {
        const space = data.indexOf(0x20, at);
        if (space < 0)
            break;
        const len = Number.parseInt(data.subarray(at, space).toString("ascii"), 10);
        if (!Number.isFinite(len) || len <= 0)
            break;
        const record = data.subarray(space + 1, at + len - 1).toString("utf8");
        const eq = record.indexOf("=");
        if (eq > 0)
            out.set(record.slice(0, eq), record.slice(eq + 1));
        at += len;
    }
    return out;
}
function readTar(tar) {
    const entries = [];
    let at = 0;
    let longName;
    while (at < tar.length) {
        if (at + tar_BLOCK > tar.length)
            throw new Error("tar: truncated header");
        const header = tar.subarray(at, at + tar_BLOCK);
        if (header.every((b) => b === 0))
            break;
        const size = octal(header, 124, 12);
        const flag = String.fromCharCode(header[156] ?? 0x30);
        const dataStart = at + tar_BLOCK;
        at = dataStart + Math.ceil(size / tar_BLOCK) * tar_BLOCK;
        if (at > tar.length)
            throw new Error("tar: truncated entry");
        const data = tar.subarray(dataStart, dataStart + size);
        if (flag === "x") {
            longName = paxRecords(data).get("path") ?? longName;
            continue;
        }
        if (flag === "L") {
            longName = field(data, 0, data.length);
            continue;
        }
        if (flag === "g")
            continue;
        const prefix = field(header, 345, 155);
        const short = field(header, 0, 100);
        const name = longName ?? (prefix ? `${prefix}/${short}` : short);
        longName = undefined;
        const type = flag === "0" || flag === "\0" || flag === "7" ? "file" : flag === "5" ? "dir" : "other";
        entries.push({ name, type, data: Buffer.from(data) });
    }
    return entries;
}

;// CONCATENATED MODULE: ./src/core/sbom/index.ts
// --sbom-output-dir / the action's sbom-dir: after the push, the SBOM layer of the pushed image is
// read back from the registry (what is in the image, whichever executor built it, and also for a
// build the fast path answered with the previous image) and written out per platform, laid out as
// `pack sbom download --output-dir DIR/<os>-<arch>` lays it out.







/** The SBOM files of the layer's tar (gzip or not), by output path. */
function sbomFilesOf(blob) {
    const tar = blob[0] === 0x1f && blob[1] === 0x8b ? (0,external_node_zlib_namespaceObject.gunzipSync)(blob) : blob;
    const out = new Map();
    for (const e of readTar(tar)) {
        const path = e.type === "file" ? outputPath(e.name) : undefined;
        if (path)
            out.set(path, e.data);
    }
    return out;
}
/**
 * Writes the SBOM of `repository@digest` under `outputDir`/<os>-<arch> (replacing what an earlier
 * build left there). Warns and writes nothing when the image has no SBOM layer.
 */
async function saveImageSbom(client, repository, digest, outputDir, log) {
    const image = `${client.registry}/${repository}@${digest}`;
    const manifest = await client.getManifest(repository, digest);
    const config = manifest && (await client.getConfig(repository, manifest));
    if (!manifest || !config)
        throw new MlBuildpacksError(sbomMessages.unreadable(image, "its manifest or config is not in the registry"));
    const dir = (0,external_node_path_namespaceObject.join)(outputDir, platformDir(config));
    const lookup = sbomLayerOf(manifest, config);
    if ("missing" in lookup) {
        log.warn(sbomMessages.noSbom(dir, image, lookup.missing));
        return undefined;
    }
    const blob = await client.getBlob(repository, lookup.layer.digest);
    if (!blob)
        throw new Error(`the SBOM layer ${lookup.layer.digest} of ${repository}@${digest} is not in the registry`);
    const files = sbomFilesOf(blob);
    (0,external_node_fs_namespaceObject.rmSync)(dir, { recursive: true, force: true });
    for (const [path, data] of files) {
        (0,external_node_fs_namespaceObject.mkdirSync)((0,external_node_path_namespaceObject.dirname)((0,external_node_path_namespaceObject.join)(dir, path)), { recursive: true });
        (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(dir, path), data);
    }
    const list = [...files.keys()].sort();
    log.info(`SBOM of ${digest} (${platformDir(config)}): ${list.length} files in ${dir}`);
    return { dir, files: list };
}
/** The build's step: saves the pushed image's SBOM when the request asks for it. */
function saveRequestedSbom(req, client, repository, digest, log) {
    const out = req.sbomOutputDir;
    if (!out || !req.publish || !digest)
        return Promise.resolve(undefined);
    return log.group("Saving the image's SBOM (--sbom-output-dir)", () => saveImageSbom(client, repository, digest, out, log));
}

;// CONCATENATED MODULE: ./src/core/secrets.ts
// Build secrets: values the buildpacks read as env (private index tokens) that are kept apart from
// the build env. They reach the detect and build phases only, are masked in every log, and are left
// out of the inputs digest (they decide whether downloads work, not what is built).


const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const secretUsage = (spec, problem) => new MlBuildpacksError(messages.usage(`--secret ${spec}: ${problem}`, "write it as --secret id=NAME,env=VAR (the value of this shell's $VAR) or --secret id=NAME,src=FILE " +
    "(the file's content); NAME is the variable the buildpacks see, e.g. PIP_INDEX_URL"));
/**
 * Pure given `sources`: `--secret` specs -> env name -> value. `id=NAME` alone reads $NAME. The value
 * never comes from argv (visible in `ps` and shell history). A file's one trailing newline is dropped:
 * Kubernetes Secrets and `echo > file` leave one, and it would break a URL.
 */
function parseSecretSpecs(specs, sources) {
    const secrets = {};
    for (const spec of specs) {
        const fields = {};
        for (const part of spec.split(",")) {
            const eq = part.indexOf("=");
            const key = eq > 0 ? part.slice(0, eq).trim() : "";
            if (!["id", "env", "src"].includes(key))
                throw secretUsage(spec, `"${part}" is not id=..., env=... or src=...`);
            if (key in fields)
                throw secretUsage(spec, `${key}= is given twice`);
            fields[key] = part.slice(eq + 1).trim();
        }
        const id = fields.id;
        if (!id)
            throw secretUsage(spec, "id=NAME is missing");
        if (!ENV_NAME.test(id))
            throw secretUsage(spec, `id "${id}" is not a variable name (letters, digits, _)`);
        if (id.startsWith("CNB_"))
            throw secretUsage(spec, `CNB_* names are the lifecycle's (${id})`);
        if (id in secrets)
            throw secretUsage(spec, `the secret ${id} is given twice`);
        if (fields.env !== undefined && fields.src !== undefined)
            throw secretUsage(spec, "give env= or src=, not both");
        secrets[id] = secretValue(spec, id, fields, sources);
    }
    return secrets;
}
function secretValue(spec, id, fields, sources) {
    if (fields.src !== undefined) {
        if (!fields.src)
            throw secretUsage(spec, "src= names no file");
        const text = sources.readFile(fields.src);
        if (text === undefined)
            throw secretUsage(spec, `the file ${fields.src} cannot be read`);
        const value = text.replace(/\r?\n$/, "");
        if (!value)
            throw secretUsage(spec, `the file ${fields.src} is empty`);
        return value;
    }
    const variable = fields.env || id;
    const value = sources.env[variable];
    if (!value)
        throw secretUsage(spec, `the environment variable ${variable} is not set (or empty)`);
    return value;
}
/** Pure: refuses a name that is both build env and a secret (which value would the buildpacks see?). */
function checkSecretsApart(env, secrets) {
    const both = Object.keys(secrets).filter((name) => name in env);
    if (both.length > 0)
        throw new MlBuildpacksError(messages.usage(`${both.join(", ")} ${both.length === 1 ? "is" : "are"} given both as build env and as a secret`, "pass each name once: as a secret when its value is a credential, else as env"));
}
/**
 * Pure: the strings to mask for a secret's value: the value itself, each of its lines, and, for a URL
 * with credentials (https://user:TOKEN@host/simple), the password and user:password, which tools
 * print when they redact or rewrite the URL.
 */
function maskablesOf(value) {
    const found = new Set([value, ...value.split(/\r?\n/)]);
    for (const match of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/gi)) {
        const userinfo = match[1] ?? "";
        found.add(userinfo);
        const colon = userinfo.indexOf(":");
        if (colon >= 0)
            found.add(userinfo.slice(colon + 1));
        for (const part of [...found])
            found.add(safeDecode(part));
    }
    // The value itself always; parts too short to mask without garbling the log (a one-letter user
    // name, a blank line) are left out.
    return [...found].filter((s) => (s === value && s !== "") || s.trim().length >= 3);
}
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
/** Pure: `text` with every mask replaced by ***, longest first (a token inside a URL goes with it). */
function maskText(text, masks) {
    let out = text;
    for (const m of [...masks].sort((a, b) => b.length - a.length))
        out = out.split(m).join("***");
    return out;
}
/** A logger that masks registered secrets in everything it writes: the CLI's registerSecret. */
class MaskingLogger {
    inner;
    masks = new Set();
    constructor(inner) {
        this.inner = inner;
    }
    /** Masks `secret` (and its parts, see maskablesOf) from now on. */
    register(secret) {
        for (const m of maskablesOf(secret))
            this.masks.add(m);
    }
    mask(text) {
        return this.masks.size === 0 ? text : maskText(text, [...this.masks]);
    }
    info(message) {
        this.inner.info(this.mask(message));
    }
    warn(message) {
        this.inner.warn(this.mask(message));
    }
    error(message) {
        this.inner.error(this.mask(message));
    }
    output(line) {
        this.inner.output(this.mask(line));
    }
    group(title, fn) {
        return this.inner.group(this.mask(title), fn);
    }
}

;// CONCATENATED MODULE: ./src/core/pre-export/throwaway-plan.ts
// What a build may push beyond the image it makes, decided before any phase runs. Pre-export's
// staging manifest, the recompressed manifest and a relabelled one are meant to be deleted (or left
// untagged) once the build is done; on a registry that refuses DELETE (GHCR answers 405) each would
// stay as an untagged version forever, so the build only makes them where deletes work.
/** Pure: which throwaway manifests a build may push; `deletes` is undefined when it does not publish. */
function throwawayPlan(deletes, compression) {
    if (!deletes)
        return { stage: false, recompress: false };
    if (deletes.supported)
        return { stage: true, recompress: compression === "small" };
    const also = compression === "small" ? ", nor recompresses the new layers after it (--compression small)" : "";
    return {
        stage: false,
        recompress: false,
        note: `the registry does not delete manifests (${deletes.why}): so that it keeps no untagged leftovers, the build stages no layers for the exporter${also}; the exporter compresses every layer itself`,
    };
}
/** Pure: whether pre-export has anything to do (it costs a container start outside the chain). */
function runsPreExport(o) {
    return o.runner && (o.stage || o.label);
}
/**
 * Pure: how the build's inputs reach the image after the export. "exported": pre-export put them in
 * (or there are none); "relabel": a copy of the image with the label, only where the exporter's
 * manifest can be deleted; "lost": nowhere to put them without a leftover, the next build runs in full.
 */
function inputsAfterExport(o) {
    if (!o.inputs || o.labeled)
        return "exported";
    return o.deletes ? "relabel" : "lost";
}

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: external "node:stream/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/core/parallel-gzip.ts
// gzip on every core for one stream: the input is cut into blocks, each compressed as its own gzip
// member (by zlib on libuv's thread pool, or by a process such as igzip), and the members are
// written in order. Concatenated members are one valid gzip file (RFC 1952 2.2) that Go's gzip
// reader (containerd, Docker) and gunzip read whole; each block starts a fresh dictionary, which
// costs about 0.1% at 8 MiB blocks.



const gzipAsync = (0,external_node_util_namespaceObject.promisify)(external_node_zlib_namespaceObject.gzip);
const GZIP_BLOCK = 8 * 1024 * 1024;
const zlibBlocks = (level) => (block) => gzipAsync(block, { level });
class ParallelGzip extends external_node_stream_namespaceObject.Transform {
    compressBlock;
    maxInFlight;
    blockSize;
    pending = [];
    pendingBytes = 0;
    /** Blocks being compressed, oldest first. */
    inFlight = [];
    constructor(compressBlock, maxInFlight, blockSize = GZIP_BLOCK) {
        super();
        this.compressBlock = compressBlock;
        this.maxInFlight = maxInFlight;
        this.blockSize = blockSize;
    }
    _transform(chunk, _enc, done) {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        if (this.pendingBytes < this.blockSize) {
            done();
            return;
        }
        this.startBlock()
            .then(() => done())
            .catch(done);
    }
    _flush(done) {
        const last = this.pendingBytes > 0 || this.inFlight.length === 0 ? this.startBlock() : Promise.resolve();
        last
            .then(async () => {
            while (this.inFlight.length)
                this.push(await this.inFlight.shift());
            done();
        })
            .catch(done);
    }
    /** Queues the pending bytes as a block; waits for the oldest block when too many are in flight. */
    async startBlock() {
        const block = Buffer.concat(this.pending, this.pendingBytes);
        this.pending = [];
        this.pendingBytes = 0;
        const compressed = this.compressBlock(block);
        // Awaited in order below; a failure surfaces there, not as an unhandled rejection meanwhile.
        compressed.catch(() => { });
        this.inFlight.push(compressed);
        while (this.inFlight.length >= this.maxInFlight)
            this.push(await this.inFlight.shift());
    }
}

;// CONCATENATED MODULE: ./src/core/recompress.ts
// --compression small: the lifecycle gzips layers at level 1 (go-containerregistry's BestSpeed), so a
// CNB image is larger than the same files pushed by Docker (level 6). After the export, the buildpack
// layers this build added are recompressed at a higher level, in parallel, and the image is pushed
// again with the same config: same diffIDs and image ID, smaller blobs. Unchanged layers keep the
// previous image's blobs (the lifecycle reuses them by diffID), so the cost falls only on builds that
// make new large layers (a first build, a dependency change).








const COMPRESSION_MODES = ["fast", "small"];
/** zlib level 4: about 90% of level 6's saving on ML layers at two thirds of its time. */
const RECOMPRESS_LEVEL = 4;
const CHUNK = 1024 * 1024;
/** Smaller layers are not worth a round trip. */
const MIN_RECOMPRESS_BYTES = 8 * 1024 * 1024;
const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
/** This module's log lines. */
const recompressNotes = {
    nothing: "no new buildpack layer of 8 MiB or more: nothing to recompress",
    done: (layers, before, after, level) => `${layers} layer(s) recompressed at gzip level ${level}: ${mib(before)} -> ${mib(after)} (same diffIDs, same image config)`,
    failed: (why) => `could not recompress the layers (${why}); the image keeps the lifecycle's compression`,
};
/** Pure: the diffIDs of the buildpack layers, from the lifecycle's metadata label. */
function buildpackLayerDiffIds(labels) {
    const out = new Set();
    try {
        const doc = JSON.parse(labels[LIFECYCLE_METADATA_LABEL] ?? "{}");
        for (const bp of doc.buildpacks ?? [])
            for (const layer of Object.values(bp.layers ?? {}))
                if (typeof layer.sha === "string")
                    out.add(layer.sha);
    }
    catch {
        // no metadata: nothing is recompressed
    }
    return out;
}
/**
 * Pure: the manifest positions worth recompressing: buildpack layers (not the run image's, which
 * stay shared with it), at least MIN_RECOMPRESS_BYTES, whose blob is not in `kept`: the previous
 * image's blobs (reused layers were recompressed when they were new) and pre-export's.
 */
function layersToRecompress(manifest, config, kept) {
    const ours = buildpackLayerDiffIds(config.config?.Labels ?? {});
    const diffIds = config.rootfs?.diff_ids ?? [];
    return (manifest.layers ?? []).flatMap((layer, i) => {
        const diffId = diffIds[i];
        return diffId && ours.has(diffId) && layer.size >= MIN_RECOMPRESS_BYTES && !kept.has(layer.digest)
            ? [i]
            : [];
    });
}
/**
 * gunzip -> gzip at `level` between two streams, checking the content against `diffId` on the way;
 * nothing is held in memory but zlib's windows.
 */
async function regzipStream(source, sink, diffId, level) {
    const tar = (0,external_node_crypto_namespaceObject.createHash)("sha256");
    // 1 MiB chunks: zlib works on libuv's thread pool, and 16 KiB round trips to it cost a third of
    // the time (9.4 s -> 6.5 s for the benchmark app's two layers).
    const gunzip = (0,external_node_zlib_namespaceObject.createGunzip)({ chunkSize: CHUNK });
    gunzip.on("data", (c) => tar.update(c));
    // gzip on every core, so a single large layer (a dependency change's venv) is not left to one.
    await (0,promises_namespaceObject.pipeline)(source, gunzip, new ParallelGzip(zlibBlocks(level), (0,external_node_os_namespaceObject.availableParallelism)() + 1), sink);
    const actual = `sha256:${tar.digest("hex")}`;
    if (actual !== diffId)
        throw new Error(`layer content ${actual} is not the diffID ${diffId} the config names`);
}
/** Recompresses the layers at `indexes` and pushes the manifest by digest (untagged). */
async function recompressLayers(client, repository, manifest, config, indexes, level = RECOMPRESS_LEVEL) {
    const layers = [...(manifest.body.layers ?? [])];
    const diffIds = config.rootfs?.diff_ids ?? [];
    let bytesBefore = 0;
    let bytesAfter = 0;
    const work = [...indexes];
    const worker = async () => {
        for (let i = work.shift(); i !== undefined; i = work.shift()) {
            const layer = layers[i];
            const diffId = diffIds[i];
            if (!layer || !diffId)
                continue;
            // Download, recompression and upload overlap: the upload streams what gzip writes. A failed
            // upload reads and recompresses the layer again, so the content check is the last attempt's.
            let regzip = Promise.resolve();
            const open = async () => {
                const source = await client.getBlobStream(repository, layer.digest);
                const compressed = new external_node_stream_namespaceObject.PassThrough({ highWaterMark: CHUNK });
                regzip = regzipStream(source, compressed, diffId, level);
                // A failed read or gzip fails the upload; an upload that fails ends this pipeline.
                regzip.catch((err) => compressed.destroy(err));
                return compressed;
            };
            const smaller = await client.uploadBlobStream(repository, open);
            await regzip;
            bytesBefore += layer.size;
            // The new blob stays unreferenced when it is not smaller (the registry's GC removes it).
            if (smaller.size >= layer.size) {
                bytesAfter += layer.size;
                continue;
            }
            bytesAfter += smaller.size;
            layers[i] = { ...layer, digest: smaller.digest, size: smaller.size };
        }
    };
    // zlib runs on libuv's thread pool: one stream per core.
    await Promise.all(Array.from({ length: Math.min(indexes.length, (0,external_node_os_namespaceObject.availableParallelism)()) }, worker));
    const body = { ...manifest.body, layers };
    const raw = Buffer.from(JSON.stringify(body));
    const digest = await client.putManifest(repository, sha256(raw), raw, manifest.mediaType);
    return { manifest: { ...manifest, raw, body, digest }, layers: indexes.length, bytesBefore, bytesAfter };
}

;// CONCATENATED MODULE: ./src/core/build/after-export.ts
// After the exporter: --compression small's recompression, the inputs label where pre-export could
// not put it in, and the facts of the image that the tags now name.









async function finishExportedImage(a) {
    const { req, names, run, registry } = a;
    const { target } = names;
    // Pre-export put the inputs in the exporter's image, or a copy gets them (see plan.ts).
    const inputsStep = inputsAfterExport({
        inputs: !!a.fastPath.inputs,
        labeled: run.preExported?.labeled === true,
        deletes: run.deletes?.supported === true,
    });
    let digest = run.exported.digest;
    if (req.publish && digest && run.plan.recompress) {
        const recompressed = await recompress(a, digest);
        if (recompressed) {
            digest = recompressed.digest;
            // Without the inputs label below, nothing else moves the tags to it.
            if (inputsStep !== "relabel")
                await tagImage(a.access.clientFor, withDigest(target, digest), recompressed, [target, ...names.tags]);
        }
    }
    if (inputsStep === "lost")
        a.deps.log.warn(fastPathNotes.inputsLost);
    if (req.publish && digest && inputsStep === "relabel")
        digest = await relabel(a, digest);
    if (req.publish && digest) {
        await saveRequestedSbom(req, registry, target.repository, digest, a.deps.log);
        const manifest = await registry.getManifest(target.repository, digest).catch(() => undefined);
        return {
            digest,
            imageId: manifest?.body.config?.digest ?? run.exported.imageId ?? "",
            imageRef: formatImageRef(withDigest(target, digest)),
            imageSizeBytes: manifestSize(manifest),
        };
    }
    const imageRef = formatImageRef(target);
    return {
        digest: digest ?? "",
        imageId: run.exported.imageId ?? "",
        imageRef,
        imageSizeBytes: (await a.deps.docker.inspectImage(imageRef))?.Size,
    };
}
function recompress(a, exportedDigest) {
    const { log } = a.deps;
    return log
        .group("Recompressing the new layers (--compression small)", () => recompressExported(a.registry, a.names.target, exportedDigest, a.previousRead, log, a.run.preExported))
        .catch((err) => {
        log.warn(recompressNotes.failed(err instanceof Error ? err.message : String(err)));
        return undefined;
    });
}
/** A copy of the image with the inputs label, where pre-export could not give it to the exporter. */
function relabel(a, exportedDigest) {
    const { log } = a.deps;
    const { inputs, tree } = a.fastPath;
    if (!inputs)
        return Promise.resolve(exportedDigest);
    const appRecord = (labels) => {
        if (!tree)
            return undefined;
        const group = buildpacksOf(labels[BUILD_METADATA_LABEL]);
        const outcome = recordAppLayer(labels, group, tree, a.owner);
        log.info("record" in outcome
            ? fastPathNotes.appSwapReady(outcome.record.files)
            : fastPathNotes.appSwapNotReady(outcome.reason));
        return "record" in outcome ? outcome.record : undefined;
    };
    return log.group("Recording the build's inputs on the image", () => stampInputs(a.access.clientFor, a.names.target, exportedDigest, inputs, a.names.tags, appRecord).catch((err) => {
        log.warn(fastPathNotes.stampFailed(err instanceof Error ? err.message : String(err)));
        return exportedDigest;
    }));
}
/** Recompresses the exported image's new buildpack layers; the manifest it pushes is untagged. */
async function recompressExported(registry, target, exportedDigest, previousRead, log, preExported) {
    const manifest = await registry.getManifest(target.repository, exportedDigest);
    const config = manifest && (await registry.getConfig(target.repository, manifest));
    if (!manifest || !config)
        throw new Error(`${formatImageRef(target)}@${exportedDigest} is not readable`);
    const previous = await previousRead;
    const kept = [
        ...(previous && "manifest" in previous ? (previous.manifest.body.layers ?? []) : []).map((l) => l.digest),
        // Pre-export already compressed these at the recompression level.
        ...(preExported?.layers ?? []).map((l) => l.digest),
    ];
    const indexes = layersToRecompress(manifest.body, config, new Set(kept));
    if (indexes.length === 0) {
        log.info(recompressNotes.nothing);
        return manifest;
    }
    const done = await recompressLayers(registry, target.repository, manifest, config, indexes);
    log.info(recompressNotes.done(done.layers, done.bytesBefore, done.bytesAfter, RECOMPRESS_LEVEL));
    return done.manifest;
}

;// CONCATENATED MODULE: ./src/core/docker.ts



/**
 * Debian's /usr/bin/docker has BuildKit built in; other clients on PATH may lack buildx.
 * ML_BUILDPACKS_DOCKER overrides the choice.
 */
function defaultDockerBinary(env = process.env) {
    if (env.ML_BUILDPACKS_DOCKER)
        return env.ML_BUILDPACKS_DOCKER;
    return (0,external_node_fs_namespaceObject.existsSync)("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
}
/** Thin typed wrapper over the docker CLI. */
class Docker {
    run;
    binary;
    constructor(run, binary = defaultDockerBinary()) {
        this.run = run;
        this.binary = binary;
    }
    exec(args, opts) {
        return this.run(this.binary, args, opts);
    }
    /** Runs docker and throws a readable error when it fails. */
    async must(what, args, opts) {
        let result;
        try {
            result = await this.exec(args, opts);
        }
        catch (err) {
            throw new MlBuildpacksError(messages.dockerUnavailable(err instanceof Error ? err.message : String(err)));
        }
        if (result.exitCode !== 0) {
            const output = `${result.stderr}\n${result.stdout}`;
            if (/Cannot connect to the Docker daemon|docker daemon is not running|permission denied.*docker.sock/i.test(output))
                throw new MlBuildpacksError(messages.dockerUnavailable(output.trim()));
            throw new MlBuildpacksError(messages.dockerFailed(what, output));
        }
        return result;
    }
    async ping() {
        await this.must("report its version", ["version", "--format", "{{.Server.Version}}"]);
    }
    async inspectImage(ref) {
        const result = await this.exec(["image", "inspect", ref]);
        if (result.exitCode !== 0)
            return undefined;
        const parsed = JSON.parse(result.stdout);
        return parsed[0];
    }
    /** Inspects an image, pulling it first when it is not present locally. */
    async ensureImage(ref, opts) {
        if (opts.pull === "missing") {
            const local = await this.inspectImage(ref);
            if (local)
                return local;
        }
        const args = ["pull", "--quiet", ...(opts.platform ? ["--platform", opts.platform] : []), ref];
        const pulled = await this.exec(args);
        const inspected = await this.inspectImage(ref);
        if (!inspected)
            throw new MlBuildpacksError(messages.imageNotFound(ref, `${pulled.stderr}\n${pulled.stdout}`));
        return inspected;
    }
    async createVolume(name) {
        await this.must(`create volume ${name}`, ["volume", "create", name]);
    }
    /** Stops and removes a container (a cancelled build's phase); never throws. */
    async removeContainer(name) {
        await this.exec(["rm", "--force", name]).catch(() => undefined);
    }
    async removeVolumes(names) {
        if (names.length > 0)
            await this.exec(["volume", "rm", "--force", ...names]);
    }
}
/** Reads KEY from an image's Env list. */
function imageEnv(image, key) {
    const entry = (image.Config.Env ?? []).find((e) => e.startsWith(`${key}=`));
    return entry?.slice(key.length + 1);
}

;// CONCATENATED MODULE: ./src/core/builder/metadata.ts
/** Labels a builder carries so pack, kpack and the Tekton tasks can use our builders too (pack's formats). */
const BUILDER_METADATA_LABEL = "io.buildpacks.builder.metadata";
const BUILDPACK_LAYERS_LABEL = "io.buildpacks.buildpack.layers";
const BUILDPACK_ORDER_LABEL = "io.buildpacks.buildpack.order";
const STACK_ID_LABEL = "io.buildpacks.stack.id";

;// CONCATENATED MODULE: ./src/core/builder/inspect.ts




/** Pure: reads a builder image's inspect data; throws when it is not a usable builder. */
function builderInfo(ref, image) {
    const labels = image.Config.Labels ?? {};
    const raw = labels[BUILDER_METADATA_LABEL];
    if (!raw)
        throw new MlBuildpacksError(messages.notABuilder(ref, `it has no ${BUILDER_METADATA_LABEL} label`));
    const metadata = JSON.parse(raw);
    const uid = Number(imageEnv(image, "CNB_USER_ID"));
    const gid = Number(imageEnv(image, "CNB_GROUP_ID"));
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || imageEnv(image, "CNB_USER_ID") === undefined)
        throw new MlBuildpacksError(messages.notABuilder(ref, "CNB_USER_ID/CNB_GROUP_ID are not set in its environment"));
    const runImages = (metadata.images ?? []).map((i) => i.image);
    if (runImages.length === 0 && metadata.stack?.runImage?.image)
        runImages.push(metadata.stack.runImage.image);
    const digest = (image.RepoDigests ?? [])
        .map((d) => d.slice(d.indexOf("@") + 1))
        .find((d) => d.startsWith("sha256:"));
    return {
        ref,
        imageId: image.Id,
        digest,
        // arm64's "v8" variant is implied; some tools record it, others don't.
        platform: `${image.Os}/${image.Architecture}${image.Variant && !(image.Architecture === "arm64" && image.Variant === "v8") ? `/${image.Variant}` : ""}`,
        uid,
        gid,
        lifecycleVersion: metadata.lifecycle?.version ?? "unknown",
        platformApis: metadata.lifecycle?.apis?.platform?.supported ?? [],
        runImages,
        buildpacks: metadata.buildpacks ?? [],
        stackId: labels["io.buildpacks.stack.id"],
        inDaemon: true,
    };
}

;// CONCATENATED MODULE: ./src/core/builder/remote.ts


/**
 * What `docker image inspect` would say about a single-platform image, read from the registry
 * (manifest and config blob, a few ms): a build whose previous image is up to date never needs the
 * builder in the Docker daemon. The Id is the config digest, as Docker's image ID is.
 */
async function inspectRemoteImage(client, ref) {
    const manifest = await client.getManifest(ref.repository, ref.digest ?? ref.tag ?? "latest");
    const configDigest = manifest?.body.config?.digest;
    if (!manifest || manifest.body.manifests || !configDigest)
        return undefined;
    const config = await client.getConfig(ref.repository, manifest);
    if (!config)
        return undefined;
    return {
        Id: configDigest,
        RepoDigests: [formatImageRef({ ...ref, tag: undefined, digest: manifest.digest })],
        Os: config.os ?? "",
        Architecture: config.architecture ?? "",
        ...(config.variant ? { Variant: config.variant } : {}),
        Size: manifestSize(manifest) ?? 0,
        Config: {
            Env: config.config?.Env ?? null,
            Labels: config.config?.Labels ?? null,
            ...(config.config?.User ? { User: config.config.User } : {}),
        },
        RootFS: { Layers: config.rootfs?.diff_ids ?? [] },
    };
}

;// CONCATENATED MODULE: ./src/core/lifecycle/versions.ts


/** API ranges of lifecycle releases we build builders with (from each release's lifecycle.toml). */
const KNOWN = {
    "0.21.17": {
        platform: ["0.7", "0.8", "0.9", "0.10", "0.11", "0.12", "0.13", "0.14", "0.15"],
        buildpack: ["0.7", "0.8", "0.9", "0.10", "0.11", "0.12"],
    },
};
const DEFAULT_LIFECYCLE_VERSION = "0.21.17";
function lifecycleApis(version) {
    const apis = KNOWN[version];
    if (!apis)
        throw new MlBuildpacksError(messages.unknownLifecycleVersion(version, Object.keys(KNOWN)));
    return apis;
}
/** Platform APIs the core's phase flags are written for, oldest first. */
const SUPPORTED_PLATFORM_APIS = ["0.12", "0.13", "0.14"];
function compareApi(a, b) {
    const [amaj = 0, amin = 0] = a.split(".").map(Number);
    const [bmaj = 0, bmin = 0] = b.split(".").map(Number);
    return amaj - bmaj || amin - bmin;
}
/** The newest Platform API both the builder's lifecycle and the core support, or undefined. */
function negotiatePlatformApi(builderApis) {
    return SUPPORTED_PLATFORM_APIS.filter((api) => builderApis.includes(api))
        .sort(compareApi)
        .at(-1);
}

;// CONCATENATED MODULE: ./src/core/platform.ts




/** The platform this process runs on, as OCI names it (linux/amd64, linux/arm64). */
function hostPlatform(arch = process.arch) {
    const names = {
        x64: "amd64",
        arm64: "arm64",
        arm: "arm",
        ppc64: "ppc64le",
        s390x: "s390x",
    };
    return `linux/${names[arch] ?? arch}`;
}
/**
 * Pins a reference to the image for one platform: a multi-arch index resolves to its child's digest,
 * so `docker run` and `FROM` never depend on which platform a local tag happens to hold. References
 * the registry doesn't know (local-only images) and single-platform images are returned unchanged.
 */
async function pinForPlatform(ref, platform, clientFor) {
    const parsed = parseImageRef(ref);
    const wanted = parsePlatform(platform);
    if (!wanted)
        throw new MlBuildpacksError(messages.badPlatform(platform));
    let manifest;
    try {
        manifest = await clientFor(parsed.registry).getManifest(parsed.repository, parsed.digest ?? parsed.tag);
    }
    catch {
        return ref; // registry unreachable: the image can only be a local one
    }
    if (!manifest?.body.manifests)
        return ref;
    const child = manifest.body.manifests.find((m) => m.platform && samePlatform(m.platform, wanted));
    if (!child) {
        const available = manifest.body.manifests.flatMap((m) => m.platform ? [formatPlatform(m.platform)] : []);
        throw new MlBuildpacksError(messages.platformNotInIndex(ref, platform, available));
    }
    return formatImageRef({ ...parsed, tag: undefined, digest: child.digest });
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/core/registry/credentials.ts






const runHelper = (program, args, stdin) => {
    const res = (0,external_node_child_process_namespaceObject.spawnSync)(program, [...args], { input: stdin, encoding: "utf8", timeout: 60_000 });
    const missing = res.error?.code === "ENOENT";
    return {
        status: res.status ?? -1,
        stdout: res.stdout ?? "",
        stderr: res.stderr ?? res.error?.message ?? "",
        missing,
    };
};
/** Normalises docker config keys ("https://index.docker.io/v1/", "registry.example:5000") to registry hosts. */
function registryHost(key) {
    const host = key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
    return host === "docker.io" || host === "registry-1.docker.io" ? "index.docker.io" : host;
}
/** The server URL a credential helper is asked about: Docker Hub's historical key, else the host. */
function helperServerUrl(registry) {
    return registry === "index.docker.io" ? "https://index.docker.io/v1/" : registry;
}
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
/** Pure: one `auths` entry as a CNB_REGISTRY_AUTH value. */
function fromAuthsEntry(entry) {
    if (entry.identitytoken)
        return basic(IDENTITY_TOKEN_USER, entry.identitytoken);
    if (entry.auth)
        return `Basic ${entry.auth}`;
    if (entry.username && entry.password)
        return basic(entry.username, entry.password);
    return undefined;
}
// The config's errors are built here rather than in messages.ts: they are about this one file's format.
function badDockerConfig(file, problem, line) {
    return new MlBuildpacksError({
        title: `the Docker config ${file} is not usable: ${problem}`,
        location: { file, ...(line !== undefined ? { line } : {}) },
        hint: `fix ${file} (\`docker login <registry>\` rewrites its entry), or set DOCKER_CONFIG to a directory ` +
            "whose config.json is valid, or remove the file to push and pull anonymously",
    });
}
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
/** 1-based line of the first line of `text` containing `needle`. */
function lineOfText(text, needle) {
    const at = text.indexOf(needle);
    return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}
/** Pure: the config's JSON, checked for the shape Docker writes; the user's file is named in every error. */
function parseDockerConfig(text, file) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        const position = /at position (\d+)/.exec(err.message)?.[1];
        const line = position === undefined ? undefined : text.slice(0, Number(position)).split("\n").length;
        throw badDockerConfig(file, `it is not valid JSON (${err.message})`, line);
    }
    if (!isObject(value))
        throw badDockerConfig(file, "it is not a JSON object");
    const { auths, credHelpers, credsStore } = value;
    if (credsStore !== undefined && typeof credsStore !== "string")
        throw badDockerConfig(file, '"credsStore" is not a string', lineOfText(text, '"credsStore"'));
    for (const [key, map] of [
        ["auths", auths],
        ["credHelpers", credHelpers],
    ]) {
        if (map !== undefined && !isObject(map))
            throw badDockerConfig(file, `"${key}" is not an object`, lineOfText(text, `"${key}"`));
    }
    for (const [host, name] of Object.entries(credHelpers ?? {}))
        if (typeof name !== "string")
            throw badDockerConfig(file, `credHelpers["${host}"] is not a string`, lineOfText(text, `"${host}"`));
    for (const [host, entry] of Object.entries(auths ?? {})) {
        const where = lineOfText(text, JSON.stringify(host));
        if (!isObject(entry))
            throw badDockerConfig(file, `auths["${host}"] is not an object`, where);
        for (const field of ["auth", "username", "password", "identitytoken"])
            if (entry[field] !== undefined && typeof entry[field] !== "string")
                throw badDockerConfig(file, `auths["${host}"].${field} is not a string`, where);
        const auth = entry.auth;
        if (auth && !Buffer.from(auth, "base64").toString("utf8").includes(":"))
            throw badDockerConfig(file, `auths["${host}"].auth is not base64 of "user:password"`, where);
    }
    return value;
}
/** Pure: docker config.json text -> CNB_REGISTRY_AUTH map from its `auths` (no helpers), for the registries a build talks to. */
function authFromDockerConfig(configText, registries, file = "config.json") {
    const config = parseDockerConfig(configText, file);
    const result = {};
    for (const [key, entry] of Object.entries(config.auths ?? {})) {
        const host = registryHost(key);
        if (!registries.includes(host))
            continue;
        const value = fromAuthsEntry(entry);
        if (value)
            result[host] = value;
    }
    return result;
}
/**
 * Asks a credential helper; undefined when it has nothing for the server (Docker's helpers exit 1
 * with "credentials not found") or cannot run.
 */
function fromHelper(name, registry, run, warn) {
    const program = `docker-credential-${name}`;
    const res = run(program, ["get"], helperServerUrl(registry));
    if (res.missing) {
        warn(`the Docker config names the credential helper ${program} for ${registry}, but it is not on PATH; trying ${registry} without it`);
        return undefined;
    }
    if (res.status !== 0) {
        if (!/not found/i.test(res.stdout + res.stderr))
            warn(`${program} failed for ${registry} (exit ${res.status}): ${(res.stderr || res.stdout).trim().slice(0, 200)}`);
        return undefined;
    }
    let parsed;
    try {
        parsed = JSON.parse(res.stdout);
    }
    catch {
        warn(`${program} answered for ${registry} with something that is not JSON; trying ${registry} without it`);
        return undefined;
    }
    if (!parsed.Secret)
        return undefined;
    return basic(parsed.Username || IDENTITY_TOKEN_USER, parsed.Secret);
}
/**
 * Credentials for the given registries, first source that has them:
 * 1. CNB_REGISTRY_AUTH in the environment (CI systems set it; then nothing else is read);
 * 2. the Docker config ($DOCKER_CONFIG/config.json, else ~/.docker/config.json): the registry's
 *    `credHelpers` entry, else `credsStore`, else its `auths` entry (what `docker login` and
 *    docker/login-action write).
 * Helpers run here, so the lifecycle receives plain values in CNB_REGISTRY_AUTH. Never read from argv.
 */
function resolveRegistryAuth(registries, env = process.env, readFile = (p) => (0,external_node_fs_namespaceObject.readFileSync)(p, "utf8"), deps = {}) {
    if (env.CNB_REGISTRY_AUTH) {
        const parsed = parseAuthVariable(env.CNB_REGISTRY_AUTH);
        return Object.fromEntries(Object.entries(parsed)
            .map(([host, value]) => [registryHost(host), value])
            .filter(([host]) => registries.includes(host)));
    }
    const configDir = env.DOCKER_CONFIG ?? (0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.homedir)(), ".docker");
    const file = (0,external_node_path_namespaceObject.join)(configDir, "config.json");
    let text;
    try {
        text = readFile(file);
    }
    catch {
        return {};
    }
    const config = parseDockerConfig(text, file);
    const fromFile = authFromDockerConfig(text, registries, file);
    const helpers = Object.fromEntries(Object.entries(config.credHelpers ?? {}).map(([key, name]) => [registryHost(key), name]));
    const run = deps.runHelper ?? runHelper;
    const warn = deps.warn ?? (() => { });
    const result = {};
    for (const registry of new Set(registries)) {
        const helper = helpers[registry] ?? config.credsStore;
        const value = (helper ? fromHelper(helper, registry, run, warn) : undefined) ?? fromFile[registry];
        if (value)
            result[registry] = value;
    }
    return result;
}
/** CNB_REGISTRY_AUTH: a JSON object of registry -> auth header value. Its value is never shown (it holds secrets). */
function parseAuthVariable(value) {
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch {
        parsed = undefined;
    }
    if (!isObject(parsed) || !Object.values(parsed).every((v) => typeof v === "string"))
        throw new MlBuildpacksError({
            title: "CNB_REGISTRY_AUTH is not a JSON object of registry -> credentials",
            hint: 'set CNB_REGISTRY_AUTH to e.g. {"ghcr.io": "Basic <base64 of user:token>"}, or unset it so the ' +
                "Docker config (docker login) is used",
            exitCode: 2,
        });
    return parsed;
}
/** The secret parts of an auth map, for log masking: the encoded values and the passwords in them. */
function secretsOf(auth) {
    const secrets = new Set();
    for (const value of Object.values(auth)) {
        const encoded = value.replace(/^(Basic|Bearer) /, "");
        secrets.add(encoded);
        if (value.startsWith("Basic ")) {
            const pair = Buffer.from(encoded, "base64").toString("utf8");
            const password = pair.slice(pair.indexOf(":") + 1);
            if (pair.includes(":") && password)
                secrets.add(password);
        }
    }
    return [...secrets];
}

;// CONCATENATED MODULE: ./src/core/build/builder.ts
// The builder a build runs in: read from the registry (or the daemon), its platform and Platform API
// checked before anything else happens.









/** Pulls (if needed) and reads the builder; adapters call it first when cache keys need its digest. */
async function resolveBuilder(req, deps) {
    const { docker, log } = deps;
    const platform = req.platform ?? hostPlatform();
    const builder = await log.group(`Resolving builder ${req.builder} for ${platform}`, async () => {
        const registry = parseImageRef(req.builder).registry;
        const client = new RegistryClient(registry, {
            auth: resolveRegistryAuth([registry], deps.env, undefined, { warn: (m) => log.warn(m) }),
            caCerts: req.caCerts,
            insecureRegistries: req.insecureRegistries,
            env: deps.env,
        });
        const pinned = await pinForPlatform(req.builder, platform, () => client);
        if (pinned !== req.builder)
            log.info(`multi-arch builder: using its ${platform} image ${pinned}`);
        // Read from the registry when it has the image: the daemon pulls it only if phases run.
        const remote = await inspectRemoteImage(client, parseImageRef(pinned)).catch(() => undefined);
        if (remote)
            return { ...builderInfo(remote.RepoDigests?.[0] ?? pinned, remote), inDaemon: false };
        await docker.ping();
        const image = await docker.ensureImage(pinned, {
            pull: pinned.includes("@") ? "missing" : req.pull,
            platform,
        });
        return builderInfo(pinned, image);
    });
    log.info(`builder ${builder.digest ?? builder.imageId} for ${builder.platform}, lifecycle ${builder.lifecycleVersion}, CNB user ${builder.uid}:${builder.gid}`);
    if (builder.platform !== platform)
        throw new MlBuildpacksError(messages.unsupportedPlatform(platform, req.builder, builder.platform));
    return builder;
}
/** The newest Platform API both sides speak; refuses options the builder's lifecycle can't take. */
function choosePlatformApi(req, builder) {
    const platformApi = negotiatePlatformApi(builder.platformApis);
    if (!platformApi)
        throw new MlBuildpacksError(messages.noCommonPlatformApi(req.builder, builder.platformApis, [...SUPPORTED_PLATFORM_APIS]));
    // The lifecycle takes -insecure-registry from Platform API 0.13 on.
    if (req.insecureRegistries.length && platformApi === "0.12")
        throw new MlBuildpacksError(messages.insecureNeedsPlatformApi(req.builder, platformApi));
    return platformApi;
}
/** Pulls a builder that was read from the registry, once phases are going to run in it. */
async function pullBuilder(builder, deps) {
    if (builder.inDaemon)
        return;
    await deps.log.group(`Pulling builder ${builder.ref}`, async () => {
        await deps.docker.ping();
        await deps.docker.ensureImage(builder.ref, { pull: "missing", platform: builder.platform });
    });
}
/** Exports to the daemon read the run image from it: pulled before any phase. */
async function pullRunImage(req, builder, deps) {
    const runImage = req.runImage ?? builder.runImages[0];
    if (!runImage)
        return;
    await deps.log.group(`Pulling run image ${runImage}`, () => deps.docker.ensureImage(runImage, { pull: req.pull, platform: builder.platform }));
}

;// CONCATENATED MODULE: ./src/core/lifecycle/phases.ts
/**
 * The five lifecycle phases as pure data: which binary, which flags, as which user.
 * Flags follow lifecycle 0.21 for Platform API 0.12-0.14 (cmd/lifecycle/*.go DefineFlags).
 */
const PHASES = (/* unused pure expression or super */ null && (["analyze", "detect", "restore", "build", "export"]));
/** Where things live inside the builder container; every phase sees the same paths. */
const CONTAINER_PATHS = {
    layers: "/layers",
    app: "/workspace",
    platform: "/platform",
    cache: "/cache",
    /** analyzed.toml, group.toml, plan.toml and report.toml: outside /layers so the host can read them. */
    out: "/ml-buildpacks",
};
/**
 * Runs buildpacks, so it is the only kind of phase handed build secrets: detect, build, or the one
 * container of a trusted build (which necessarily holds them beside the exporter).
 */
function runsBuildpacks(spec) {
    return spec.phase === "detect" || spec.phase === "build" || spec.phase === "create";
}
function phaseSpecs(inputs, paths = CONTAINER_PATHS, detectLogLevel = "debug") {
    const out = (name) => `${paths.out}/${name}`;
    const common = ["-log-level", inputs.logLevel, "-no-color"];
    const state = ["-analyzed", out("analyzed.toml"), "-group", out("group.toml")];
    const insecure = inputs.insecureRegistries.flatMap((r) => ["-insecure-registry", r]);
    const cache = inputs.useCache ? ["-cache-dir", paths.cache] : [];
    const tags = inputs.additionalTags;
    const daemon = inputs.daemon ? ["-daemon"] : [];
    const bin = (name) => `/cnb/lifecycle/${name}`;
    return [
        {
            phase: "analyze",
            binary: bin("analyzer"),
            runAs: "root",
            registry: true,
            daemon: inputs.daemon,
            args: [
                ...common,
                ...daemon,
                "-analyzed",
                out("analyzed.toml"),
                "-layers",
                paths.layers,
                ...(inputs.runImage ? ["-run-image", inputs.runImage] : []),
                ...(inputs.previousImage ? ["-previous-image", inputs.previousImage] : []),
                ...tags.flatMap((t) => ["-tag", t]),
                ...insecure,
                inputs.image,
            ],
        },
        {
            phase: "detect",
            binary: bin("detector"),
            runAs: "cnb",
            registry: false,
            daemon: false,
            // Debug level: the platform shows each buildpack's detect output when no group passes.
            args: [
                "-log-level",
                detectLogLevel,
                "-no-color",
                "-app",
                paths.app,
                "-layers",
                paths.layers,
                "-platform",
                paths.platform,
                ...state,
                "-plan",
                out("plan.toml"),
            ],
        },
        {
            phase: "restore",
            binary: bin("restorer"),
            runAs: "root",
            registry: true,
            daemon: false,
            args: [...common, "-layers", paths.layers, ...state, ...cache, ...insecure],
        },
        {
            phase: "build",
            binary: bin("builder"),
            runAs: "cnb",
            registry: false,
            daemon: false,
            args: [
                ...common,
                "-app",
                paths.app,
                "-layers",
                paths.layers,
                "-platform",
                paths.platform,
                ...state,
                "-plan",
                out("plan.toml"),
            ],
        },
        {
            phase: "export",
            binary: bin("exporter"),
            runAs: "root",
            registry: true,
            daemon: inputs.daemon,
            args: [
                ...common,
                ...daemon,
                "-app",
                paths.app,
                "-layers",
                paths.layers,
                ...state,
                ...cache,
                "-report",
                out("report.toml"),
                "-parallel",
                ...(inputs.defaultProcess ? ["-process-type", inputs.defaultProcess] : []),
                ...insecure,
                inputs.image,
                ...tags,
            ],
        },
    ];
}
/**
 * The creator runs every phase in one container (one start instead of five). It runs as root with
 * registry credentials while buildpacks execute, so only for builders the user trusts.
 */
function creatorSpec(inputs, paths = CONTAINER_PATHS) {
    const out = (name) => `${paths.out}/${name}`;
    return {
        phase: "create",
        binary: "/cnb/lifecycle/creator",
        runAs: "root",
        registry: true,
        daemon: inputs.daemon,
        args: [
            ...(inputs.daemon ? ["-daemon"] : []),
            "-log-level",
            inputs.logLevel,
            "-no-color",
            "-app",
            paths.app,
            "-layers",
            paths.layers,
            "-platform",
            paths.platform,
            ...(inputs.useCache ? ["-cache-dir", paths.cache] : []),
            "-report",
            out("report.toml"),
            "-parallel",
            ...(inputs.runImage ? ["-run-image", inputs.runImage] : []),
            ...(inputs.previousImage ? ["-previous-image", inputs.previousImage] : []),
            ...(inputs.defaultProcess ? ["-process-type", inputs.defaultProcess] : []),
            ...inputs.additionalTags.flatMap((t) => ["-tag", t]),
            ...inputs.insecureRegistries.flatMap((r) => ["-insecure-registry", r]),
            inputs.image,
        ],
    };
}
/**
 * Pre-export as a step of its own, between the builder and the exporter: as the CNB user (it reads
 * the layers), with registry credentials (it pushes), never a buildpack beside it.
 */
function preExportSpec(command) {
    const [binary = "node", ...args] = command;
    return { phase: "pre-export", binary, args, runAs: "cnb", registry: true, daemon: false, preExport: true };
}
/** Pure: the phases with pre-export inserted just before the exporter. */
function withPreExport(specs, command) {
    return specs.flatMap((s) => (s.phase === "export" ? [preExportSpec(command), s] : [s]));
}
const CHAIN_TITLES = {
    analyze: "ANALYZING",
    detect: "DETECTING",
    restore: "RESTORING",
    build: "BUILDING",
    export: "EXPORTING",
};
/** Pure: `word` quoted for sh. */
function shellQuote(word) {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
/**
 * The five phases in one container, as the creator runs them, but as separate lifecycle binaries
 * with pre-export between the builder and the exporter: the creator keeps analyzed.toml in memory,
 * so nothing could change what its exporter reuses. Runs as the CNB user throughout (`setpriv`, as
 * the creator drops to it), for trusted builders only, like the creator.
 */
function chainSpec(inputs, o, paths = CONTAINER_PATHS) {
    const lines = ["set -e", 'export HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"'];
    for (const spec of phaseSpecs(inputs, paths, inputs.logLevel)) {
        if (spec.phase === "export") {
            lines.push("echo '===> PRE-EXPORTING'");
            // Never fails the build: without it the exporter simply does all the work.
            lines.push(`${o.preExportCommand.map(shellQuote).join(" ")} || true`);
        }
        const title = CHAIN_TITLES[spec.phase];
        if (title)
            lines.push(`echo '===> ${title}'`);
        lines.push([spec.binary, ...spec.args].map(shellQuote).join(" "));
    }
    return {
        phase: "create",
        binary: "setpriv",
        runAs: "root",
        registry: true,
        daemon: false,
        preExport: true,
        args: [`--reuid=${o.uid}`, `--regid=${o.gid}`, "--clear-groups", "sh", "-c", lines.join("\n")],
    };
}
/**
 * Pure: what runs for a build. Trusted builders run in one container (the creator, or the chain
 * when pre-export can run there); otherwise one step per phase, with pre-export before the exporter
 * when the executor can run it.
 */
function planPhases(inputs, paths, o) {
    const { preExport } = o;
    if (!preExport)
        return o.trustBuilder ? [creatorSpec(inputs, paths)] : phaseSpecs(inputs, paths);
    if (o.trustBuilder && preExport.chain)
        return [chainSpec(inputs, { ...o.user, preExportCommand: preExport.command }, paths)];
    return withPreExport(phaseSpecs(inputs, paths), preExport.command);
}

;// CONCATENATED MODULE: ./src/core/pre-export/contract.ts

/** igzip's highest level: still far faster than zlib's level 1, a few % larger than its level 4. */
const IGZIP_LEVEL = 3;
/** Pure: fast gzips with igzip (zlib level 1 without it); small with zlib at the recompression level. */
function preExportCompression(mode) {
    return mode === "small" ? { level: RECOMPRESS_LEVEL } : { level: 1, igzipLevel: IGZIP_LEVEL };
}
const PRE_EXPORT_RESULT = "pre-export-result.json";
/** Where the platform mounts dist/pre-export (read-only) in the container. */
const PRE_EXPORT_MOUNT = "/cnb/ml-buildpacks-pre-export";
const PRE_EXPORT_ENTRY = "index.mjs";

// EXTERNAL MODULE: ./node_modules/@iarna/toml/toml.js
var toml = __nccwpck_require__(572);
;// CONCATENATED MODULE: ./src/core/toml.ts



/** Parses TOML; syntax errors name the file, line and column. */
function parseTomlFile(text, file) {
    try {
        return toml.parse(text);
    }
    catch (err) {
        const e = err;
        const reason = e.message.split("\n")[0] ?? e.message;
        throw new MlBuildpacksError(messages.tomlSyntax({
            file,
            line: e.line !== undefined ? e.line + 1 : undefined,
            column: e.col !== undefined ? e.col + 1 : undefined,
        }, reason));
    }
}
/**
 * 1-based line of the first line matching `pattern` (after `after`, itself 1-based), for errors
 * about values the parser accepted; undefined when not found.
 */
function lineOf(text, pattern, after = 0) {
    const matches = typeof pattern === "function" ? pattern : (line) => pattern.test(line);
    const lines = text.split("\n");
    for (let i = after; i < lines.length; i++)
        if (matches(lines[i] ?? ""))
            return i + 1;
    return undefined;
}
function stringifyToml(value) {
    return toml.stringify(value);
}

;// CONCATENATED MODULE: ./src/core/lifecycle/exit-codes.ts
/**
 * Lifecycle exit codes (platform/exit.go and cmd/exit.go of lifecycle 0.21) turned into sentences.
 * Returns the error's title and what to do.
 */
function explainExit(phase, code, memoryLimit) {
    switch (code) {
        // SIGKILL: with a memory limit, almost always the kernel's OOM killer in the container's cgroup.
        case 137:
            return memoryLimit
                ? {
                    title: `the ${phase} phase ran out of memory (its container is limited to ${memoryLimit}) and was killed`,
                    hint: "raise the limit (--memory / the action's memory input) or drop it",
                }
                : {
                    title: `the ${phase} phase was killed (SIGKILL: out of memory on the host, or stopped)`,
                    hint: "check the host's free memory, or give the build a limit with --memory to see which phase needs it",
                };
        case 3:
            return {
                title: `the ${phase} phase rejected its arguments`,
                hint: "this is a bug in ml-buildpacks: please report it with the log",
            };
        case 11:
            return {
                title: "the builder's lifecycle does not support the Platform API ml-buildpacks asked for",
                hint: "use a builder with lifecycle 0.17 or newer",
            };
        case 12:
            return {
                title: "a buildpack in the builder uses a Buildpack API its lifecycle does not support",
                hint: "rebuild the builder with a newer lifecycle or older buildpacks",
            };
        case 20:
            return {
                title: "no buildpack group detected this app",
                hint: "add the files the buildpacks look for (listed above), or choose another builder",
            };
        case 21:
            return {
                title: "no buildpack group detected this app, and a buildpack's detect failed with an error",
                hint: "read the buildpack's error above",
            };
        case 22:
            return { title: "detection failed with an error", hint: "read the detector's output above" };
        case 32:
            return {
                title: "analyzing the previous image failed",
                hint: "check the registry is reachable and your credentials allow reading the image; see the log above",
            };
        case 42:
            return {
                title: "restoring cached layers failed",
                hint: "clear the cache (--clear-cache or remove the cache dir) and build again",
            };
        case 51:
            return {
                title: "a buildpack failed while building the app",
                hint: "read the buildpack's error above; nothing was pushed",
            };
        case 52:
            return { title: "the build phase failed", hint: "read the builder's output above; nothing was pushed" };
        case 62:
            return {
                title: "exporting the image failed",
                hint: "check the registry is reachable and you may push to it; see the exporter's output above",
            };
        default:
            return {
                title: `the ${phase} phase failed with exit code ${code}`,
                hint: "read the phase's output above",
            };
    }
}

;// CONCATENATED MODULE: ./src/core/registry/push-failures.ts
// What a failed push in the exporter's output means, in the user's terms. The lifecycle prints
// go-containerregistry's error (the registry's error body, Go's network errors) and exits 62; these
// lines say which of the common registry faults it was and what to do. Pure, but for the registry
// question injected into explainPushFailureAsking.
const GENERIC_500 = "the registry failed internally (HTTP 500) while taking the push: its log says why (often full storage, a broken storage backend, or a blob an earlier failed upload left half-written); mend the registry, then build again; no tag was written";
const push_failures_KNOWN = [
    {
        // docker-registry reports a full disk as UNKNOWN with the driver's errno (28 = ENOSPC).
        test: /no space left on device|\bErr"?:\s*28\b|ENOSPC|insufficient storage|\b507\b|quota exceeded/i,
        reason: "the registry's storage is full (it could not write an upload): free space on the registry or raise its quota, then build again; no tag was written",
    },
    {
        test: /connection refused|connection reset|broken pipe|EOF\b|i\/o timeout|no such host/i,
        reason: "the registry stopped answering during the push (after the exporter's retries): check that it is up and reachable from here, then build again; no tag was written, and the blobs it already has are reused",
    },
    {
        test: /\b(502|503|504)\b|UNAVAILABLE|Service Unavailable|Bad Gateway|Gateway Timeout|TOOMANYREQUESTS|\b429\b/i,
        reason: "the registry kept failing or throttling the push (5xx/429 after the exporter's retries): try again later; no tag was written",
    },
    {
        // Last: a bare 500 is the registry's own failure, whose cause only its log (or a GET's body) has.
        test: /\b500 Internal Server Error\b|status code 500\b|\bHTTP 500\b/i,
        reason: GENERIC_500,
    },
];
/** The exporter's error lines (ERROR: ... / failed to write image ...), mapped to the first matching explanation. */
function explainPushFailure(lines) {
    const errors = lines.filter((l) => /ERROR:|failed to (export|write image)/i.test(l));
    for (const known of push_failures_KNOWN)
        if (errors.some((l) => known.test.test(l)))
            return [known.reason];
    return [];
}
/** Where the exporter's HEAD got a 5xx: HEAD answers have no body, so the cause is not in its output. */
function bodylessHeads(lines) {
    const urls = new Set();
    for (const line of lines)
        for (const m of line.matchAll(/\bHEAD (https?:\/\/\S+): unexpected status code 5\d\d\b/g))
            if (m[1])
                urls.add(m[1]);
    return [...urls];
}
/**
 * explainPushFailure, and where the exporter's output holds only a bodyless 5xx to a HEAD, the target
 * registry's answers to a GET of that URL and to a new upload, shown and matched too. A full disk can
 * show only there: the exporter's retry of a failed upload met a half-written blob (HEAD 500), and its
 * first error, the one naming ENOSPC, is not printed.
 */
async function explainPushFailureAsking(lines, ask) {
    const known = explainPushFailure(lines);
    const url = known.length === 0 || known[0] === GENERIC_500 ? bodylessHeads(lines)[0] : undefined;
    if (!url)
        return known;
    const answers = [];
    const got = await ask.get(url);
    if (got)
        answers.push(`the registry's answer to GET ${url}: ${got}`);
    const explainsGet = (explainPushFailure(answers.map((a) => `ERROR: ${a}`))[0] ?? GENERIC_500) !== GENERIC_500;
    const uploaded = explainsGet ? undefined : await ask.upload(url);
    if (uploaded)
        answers.push(`the registry's answer to starting a new upload: ${uploaded}`);
    if (answers.length === 0)
        return known;
    return [...answers, ...explainPushFailure([...lines, ...answers.map((a) => `ERROR: ${a}`)])];
}

;// CONCATENATED MODULE: ./src/core/build/phase-runner.ts
// Runs one lifecycle phase in its own log section and turns a failure into a readable error.





async function runPhase(spec, executor, ctx) {
    const { log, clock, layers } = ctx;
    const started = clock.now();
    // The detector runs at debug level so a failed detection can show what each buildpack looked for;
    // that output is printed only when detection fails.
    const held = [];
    const seen = [];
    return log.group(phaseTitle(spec.phase), async () => {
        const exit = await executor.runPhase(spec, (line) => {
            if (spec.phase === "detect")
                return void held.push(line);
            seen.push(line);
            log.output(line);
            if (spec.phase === "export" || spec.phase === "create" || spec.phase === "pre-export")
                recordExporterLine(layers, line);
        });
        const ms = clock.now() - started;
        if (spec.phase === "detect" && exit !== 0) {
            for (const line of detectFailureLines(held))
                log.output(line);
            throw phaseError(spec.phase, exit, detectFailureReasons(held), ctx.memoryLimit);
        }
        // Pre-export never fails a build: without it, the exporter does all the work.
        if (exit !== 0 && spec.phase === "pre-export")
            log.warn(preExportNotes.failed(exit));
        else if (exit !== 0) {
            // The analyzer writes too: it checks write access by starting an upload.
            const pushed = spec.phase === "export" || spec.phase === "create" || spec.phase === "analyze";
            const reasons = pushed ? await explainPushFailureAsking(seen, ctx.askRegistry) : [];
            throw phaseError(spec.phase, exit, reasons, ctx.memoryLimit);
        }
        if (spec.phase === "detect") {
            const group = readGroup(executor.readOutput("group.toml"));
            for (const bp of group)
                log.output(`${bp.id} ${bp.version}`);
            return { ms, group };
        }
        return { ms, group: spec.phase === "create" ? groupFromCreatorOutput(seen) : undefined };
    });
}
function phaseTitle(phase) {
    return {
        analyze: "ANALYZING",
        detect: "DETECTING",
        restore: "RESTORING",
        build: "BUILDING",
        export: "EXPORTING",
        create: "CREATING (analyze, detect, restore, build, export in one container)",
        "pre-export": "PRE-EXPORTING (the build's inputs for the exporter; where the registry deletes, new layers of 8 MiB or more compressed once on every core)",
    }[phase];
}
function phaseError(phase, code, reasons = [], memoryLimit) {
    const { title, hint } = explainExit(phase, code, memoryLimit);
    const detail = [...reasons, `(lifecycle ${phase} phase exited with code ${code})`].join("\n");
    return new MlBuildpacksError({ title, hint, detail, exitCode: 1 });
}
function readGroup(text) {
    if (!text)
        return [];
    const doc = parseTomlFile(text, "group.toml");
    return (doc.group ?? []).map(({ id, version }) => ({ id, version }));
}
/** The platform's lines about pre-export (pre-export's own are in src/pre-export). */
const preExportNotes = {
    failed: (code) => `pre-export exited with code ${code}; the exporter compresses and pushes every layer itself`,
    stagingKept: (digest, why) => `the registry did not delete the staging manifest ${digest} (${why}): it stays untagged until its garbage collection`,
};

;// CONCATENATED MODULE: ./src/core/build/targets.ts
// What a build names, parsed once: the image, its further tags, the previous image, and the
// registries all of them (and a run-image override) live in.



/** Pure; refuses a previous image in another registry (the lifecycle reads both with one login). */
function buildTargets(req) {
    const target = parseTargetRef(req.image, "the image");
    const tags = req.additionalTags.map((t) => parseTargetRef(t, "the tag"));
    const previous = req.previousImage ? parseImageRef(req.previousImage) : undefined;
    if (previous && previous.registry !== target.registry)
        throw new MlBuildpacksError(messages.previousImageElsewhere(req.previousImage, req.image));
    const runImage = req.runImage ? [parseImageRef(req.runImage)] : [];
    const all = [target, ...tags, ...(previous ? [previous] : []), ...runImage];
    return { target, tags, previous, registries: [...new Set(all.map((r) => r.registry))] };
}
/** The target and its further tags as written in reports and given to the exporter. */
function tagNames(names) {
    return { image: formatImageRef(names.target), tags: names.tags.map(formatImageRef) };
}

;// CONCATENATED MODULE: ./src/core/build/lifecycle-run.ts













async function runLifecycle(run) {
    const { req, builder, platformApi, names, access, deps } = run;
    const { log, clock } = deps;
    await pullBuilder(builder, deps);
    // The lifecycle reads the builder's run image (or a mirror of it) too: its registry's credentials.
    access.add(builder.runImages.map((r) => parseImageRef(r).registry));
    const executor = deps.makeExecutor(builder, platformApi, access.lifecycleEnv());
    const paths = executor.paths ?? CONTAINER_PATHS;
    const deletes = await run.deletesProbe;
    const plan = throwawayPlan(deletes, req.compression);
    if (plan.note)
        log.info(plan.note);
    const preExport = preExportRequest(run, executor, paths, plan);
    const runs = runsPreExport({ runner: !!executor.preExport, stage: plan.stage, label: !!preExport.label });
    const via = req.publish && runs ? executor.preExport : undefined;
    const { image, tags } = tagNames(names);
    const specs = planPhases({
        platformApi,
        image,
        additionalTags: tags,
        runImage: req.runImage,
        previousImage: names.previous && formatImageRef(names.previous),
        useCache: req.cacheDir !== undefined,
        logLevel: req.logLevel === "debug" ? "debug" : "info",
        defaultProcess: req.defaultProcess,
        insecureRegistries: req.insecureRegistries,
        daemon: !req.publish,
    }, paths, {
        trustBuilder: req.trustBuilder,
        user: { uid: builder.uid, gid: builder.gid },
        preExport: via && { command: ["node", via.entry, JSON.stringify(preExport)], chain: via.chain },
    });
    const phases = [];
    const layers = emptyActivity();
    let exported;
    let preExported;
    let group = [];
    try {
        await log.group("Preparing workspace", () => executor.prepare());
        for (const spec of specs) {
            const result = await runPhase(spec, executor, {
                log,
                clock,
                layers,
                memoryLimit: req.memoryLimit,
                askRegistry: questionsFor(run.registry),
            });
            phases.push({ phase: spec.phase, ms: result.ms });
            if (result.group)
                group = result.group;
        }
        exported = readExportReport(executor.readOutput("report.toml"));
    }
    finally {
        // Read even when a later phase failed: the staging manifest goes either way.
        preExported = readPreExportResult(executor.readOutput(PRE_EXPORT_RESULT));
        await executor.cleanup().catch((err) => log.warn(`cleanup failed: ${String(err)}`));
        if (preExported?.stagingDigest)
            await dropStaging(run.registry, names.target, preExported.stagingDigest, log);
    }
    if (!exported)
        throw phaseError("export", -1);
    return { phases, layers, group, exported, preExported, deletes, plan };
}
/** The target registry's answers about a URL the exporter named; none for a URL on another host. */
function questionsFor(registry) {
    const pathOn = (url) => {
        const parsed = URL.canParse(url) ? new URL(url) : undefined;
        return parsed?.host === registry.registry ? parsed.pathname : undefined;
    };
    return {
        get: async (url) => {
            const path = pathOn(url);
            return path ? registry.errorAnswer(path) : undefined;
        },
        upload: async (url) => {
            const repository = repositoryOfPath(pathOn(url) ?? "");
            return repository ? registry.uploadAnswer(repository) : undefined;
        },
    };
}
/** What pre-export needs: it talks to the target registry as the lifecycle does (same plain-HTTP list, same CA). */
function preExportRequest(run, executor, paths, plan) {
    const { req, builder, fastPath } = run;
    const owner = { uid: builder.uid, gid: builder.gid };
    // The app layer's diffID from the source, for pre-export's app record (no runner: relabel or none).
    const appPlan = fastPath.inputs && fastPath.tree && executor.preExport ? planAppLayer(fastPath.tree, owner) : undefined;
    if (appPlan && "problem" in appPlan)
        run.deps.log.info(fastPathNotes.appSwapNotReady(appPlan.problem));
    return {
        image: formatImageRef(run.names.target),
        insecureRegistries: req.insecureRegistries,
        caCerts: executor.preExport?.caCerts,
        platform: builder.platform,
        compression: preExportCompression(req.compression),
        minBytes: MIN_RECOMPRESS_BYTES,
        uid: builder.uid,
        gid: builder.gid,
        layersDir: paths.layers,
        appDir: paths.app,
        stage: plan.stage,
        label: fastPath.inputs && {
            inputs: fastPath.inputs,
            app: appPlan && !("problem" in appPlan) ? appPlan : undefined,
        },
        analyzedPath: `${paths.out}/analyzed.toml`,
        groupPath: `${paths.out}/group.toml`,
        resultPath: `${paths.out}/${PRE_EXPORT_RESULT}`,
    };
}
function readExportReport(text) {
    if (!text)
        return undefined;
    const doc = parseTomlFile(text, "report.toml");
    if (!doc.image?.digest && !doc.image?.["image-id"])
        return undefined;
    return { digest: doc.image.digest, imageId: doc.image["image-id"] };
}
/** The pre-export result file, if pre-export ran and staged layers (malformed: none). */
function readPreExportResult(text) {
    if (!text)
        return undefined;
    try {
        const doc = JSON.parse(text);
        return Array.isArray(doc.layers) ? doc : undefined;
    }
    catch {
        return undefined;
    }
}
/** The staging manifest served the exporter only; its blobs stay, as the image (if any) uses them. */
async function dropStaging(registry, target, digest, log) {
    const { deleted, why } = await registry.deleteManifest(target.repository, digest);
    if (!deleted)
        log.info(preExportNotes.stagingKept(digest, why ?? "unknown"));
}

;// CONCATENATED MODULE: ./src/core/build/registry-access.ts
// Credentials and clients for every registry a build talks to. Secrets are handed to the adapter's
// log masking as soon as they are read; the lifecycle gets them only through CNB_REGISTRY_AUTH.


class RegistryAccess {
    req;
    deps;
    auth;
    /** Registries whose credentials were looked up (found or not). */
    asked = new Set();
    warn;
    constructor(registries, req, deps) {
        this.req = req;
        this.deps = deps;
        this.warn = { warn: (m) => deps.log.warn(m) };
        this.auth = this.read(registries);
    }
    clientFor = (registry) => new RegistryClient(registry, {
        auth: this.auth,
        caCerts: this.req.caCerts,
        insecureRegistries: this.req.insecureRegistries,
        env: this.deps.env,
    });
    /** Adds registries found later (the builder's run images); credentials already read win. */
    add(registries) {
        const more = registries.filter((r, i) => !this.asked.has(r) && registries.indexOf(r) === i);
        if (more.length)
            this.auth = { ...this.read(more), ...this.auth };
    }
    /** The phases' environment: the credentials for the lifecycle, or nothing without any. */
    lifecycleEnv() {
        return Object.keys(this.auth).length ? { CNB_REGISTRY_AUTH: JSON.stringify(this.auth) } : {};
    }
    read(registries) {
        for (const r of registries)
            this.asked.add(r);
        const auth = resolveRegistryAuth(registries, this.deps.env, undefined, this.warn);
        for (const secret of secretsOf(auth))
            this.deps.registerSecret?.(secret);
        return auth;
    }
}

;// CONCATENATED MODULE: ./src/core/build/report.ts

function reportBase(req, builder, platformApi, names) {
    const { image, tags } = tagNames(names);
    return {
        image,
        tags: [image, ...tags],
        published: req.publish,
        platform: builder.platform,
        builder: {
            ref: req.builder,
            digest: builder.digest,
            lifecycleVersion: builder.lifecycleVersion,
            platformApi,
        },
        cache: { dir: req.cacheDir, cleared: req.clearCache },
    };
}
function fastPathReport(outcome, used) {
    return { used, inputDigest: outcome.inputs?.digest, reason: outcome.reason };
}

;// CONCATENATED MODULE: external "node:readline"
const external_node_readline_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:readline");
;// CONCATENATED MODULE: ./src/core/process.ts


const runProcess = (command, args, opts = {}) => new Promise((resolve, reject) => {
    const child = (0,external_node_child_process_namespaceObject.spawn)(command, args, {
        cwd: opts.cwd,
        env: opts.replaceEnv ? opts.env : { ...process.env, ...opts.env },
        ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
        ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
        stdio: ["pipe", "pipe", "pipe"],
        ...(opts.signal ? { signal: opts.signal, killSignal: "SIGTERM" } : {}),
    });
    const out = [];
    const err = [];
    const collect = (stream, sink, name) => (0,external_node_readline_namespaceObject.createInterface)({ input: stream }).on("line", (line) => {
        sink.push(line);
        opts.onLine?.(line, name);
    });
    collect(child.stdout, out, "stdout");
    collect(child.stderr, err, "stderr");
    // An abort is reported by "close" with the signal, like any killed child.
    child.on("error", (err) => {
        if (err.name !== "AbortError")
            reject(err);
    });
    child.on("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: out.join("\n"), stderr: err.join("\n") }));
    if (opts.input !== undefined)
        child.stdin.end(opts.input);
    else
        child.stdin.end();
});
const hooks = new Set();
const CANCEL_SIGNALS = ["SIGINT", "SIGTERM"];
/** A cleanup that hangs must not keep a cancelled job alive: the runner kills it a little later anyway. */
const CANCEL_CLEANUP_MS = 20_000;
let cancelling = false;
function onSignal(signal) {
    // The runner sends SIGINT, then SIGTERM a few seconds later: one cleanup serves both.
    if (cancelling)
        return;
    cancelling = true;
    process.stderr.write(`\nml-buildpacks: cancelled (${signal}): stopping the lifecycle's containers and processes: nothing more is pushed, and the layer cache keeps what the last finished build committed\n`);
    const cleanups = [...hooks].map((hook) => Promise.resolve().then(() => hook(signal)));
    const timeout = new Promise((r) => setTimeout(r, CANCEL_CLEANUP_MS).unref());
    void Promise.race([Promise.allSettled(cleanups), timeout]).finally(() => process.exit(128 + (signal === "SIGINT" ? 2 : 15)));
}
/**
 * Runs `hook` when the process is cancelled while it is registered; returns the unregister
 * function. While any hook is registered, SIGINT and SIGTERM run the hooks and then exit with
 * 130 / 143 (instead of Node's immediate exit, which would leave the phase containers running and
 * pushing).
 */
function onCancel(hook) {
    if (hooks.size === 0)
        for (const s of CANCEL_SIGNALS)
            process.on(s, onSignal);
    hooks.add(hook);
    return () => {
        if (!hooks.delete(hook) || hooks.size > 0)
            return;
        for (const s of CANCEL_SIGNALS)
            process.off(s, onSignal);
    };
}

;// CONCATENATED MODULE: ./src/core/sign/messages.ts
// What signing says when it cannot do its work: each message names the setting the user changes.
const signMessages = {
    keyEnvUnset: (name) => ({
        title: `the signing key env://${name} is empty: $${name} is not set`,
        hint: `set ${name} to the cosign private key (the PEM text of cosign.key, from a CI secret), or pass a key file`,
        exitCode: 2,
    }),
    keyFileMissing: (file) => ({
        title: `the signing key file ${file} does not exist or is not a file`,
        hint: "pass the path of a cosign private key (cosign generate-key-pair writes cosign.key), or env://VAR naming a variable that holds it",
        exitCode: 2,
    }),
    keyScheme: (key) => ({
        title: `the signing key "${key}" is neither a file nor env://VAR`,
        hint: "pass a cosign.key file or env://VAR; KMS and keyless signing are not supported by ml-buildpacks (run cosign yourself on the digest output for those)",
        exitCode: 2,
    }),
    notAKey: (where) => ({
        title: `the signing key ${where} is not a cosign private key`,
        detail: "A cosign private key starts with -----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY----- (or ENCRYPTED COSIGN PRIVATE KEY).",
        hint: "use the cosign.key that `cosign generate-key-pair` wrote (not cosign.pub)",
        exitCode: 2,
    }),
    passwordUnset: () => ({
        title: "signing needs COSIGN_PASSWORD, and it is not set",
        hint: "set COSIGN_PASSWORD to the signing key's password (from a CI secret; an empty value for a key made without one)",
        exitCode: 2,
    }),
    keyRejected: (why) => ({
        title: "cosign could not open the signing key: nothing was built or pushed",
        detail: why,
        hint: "check COSIGN_PASSWORD (the password the key was generated with) and that the key is the cosign.key of that pair",
    }),
    signFailed: (ref, why, tagged) => ({
        title: `cosign could not sign ${ref}`,
        detail: tagged
            ? `${why}\nThe image was pushed and tagged before this step; it carries no signature, so a verifying deploy refuses it.`
            : `${why}\nNothing was tagged: the tag still names what it named before.`,
        hint: "run the build again (a registry error may pass); if it persists, check that the credentials for this registry may push <repository>:sha256-<digest>.sig",
    }),
    noCosign: (why) => ({
        title: `cosign is not available to sign: ${why}`,
        hint: "use an ml-buildpacks builder (it carries /cnb/ml-buildpacks/cosign), or set ML_BUILDPACKS_COSIGN to a cosign binary",
    }),
    signed: (ref, offline) => `Signed ${ref} with the cosign key${offline ? " (offline: no transparency-log entry)" : ""}`,
};

;// CONCATENATED MODULE: ./src/core/sign/cosign.ts
// Pure pieces of signing with cosign: the key setting, cosign's arguments, the `docker run` that
// runs the builder's cosign, and the Docker config that gives cosign the registry credentials.



/** Where cosign lives inside ml-buildpacks' builders (builder/create.ts puts it there). */
const COSIGN_IN_BUILDER = "/cnb/ml-buildpacks/cosign";
/** The env var cosign reads the key from: the key itself never appears in argv. */
const KEY_ENV = "COSIGN_PRIVATE_KEY";
const PASSWORD_ENV = "COSIGN_PASSWORD";
/** Where the temporary Docker config is mounted in the cosign container. */
const CONFIG_MOUNT = "/ml-buildpacks-sign";
const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const KEY_HEADER = /^-----BEGIN ENCRYPTED (SIGSTORE|COSIGN) PRIVATE KEY-----/m;
/**
 * Pure: checks a key setting against the environment and files before anything runs, and says where
 * the key's text is. The password must be set (cosign would otherwise prompt, and CI has no terminal).
 */
function checkSignOptions(opts, env, isFile) {
    if (env[PASSWORD_ENV] === undefined)
        throw new MlBuildpacksError(signMessages.passwordUnset());
    const envName = /^env:\/\/(.+)$/.exec(opts.key)?.[1];
    if (envName !== undefined) {
        if (!env[envName])
            throw new MlBuildpacksError(signMessages.keyEnvUnset(envName));
        return { envName };
    }
    if (/^[a-z0-9]+:\/\//i.test(opts.key))
        throw new MlBuildpacksError(signMessages.keyScheme(opts.key));
    if (!isFile(opts.key))
        throw new MlBuildpacksError(signMessages.keyFileMissing(opts.key));
    return { file: opts.key };
}
/** Pure: the key's PEM text, checked to look like a cosign private key (not the .pub). */
function keyText(text, where) {
    if (!KEY_HEADER.test(text))
        throw new MlBuildpacksError(signMessages.notAKey(where));
    return text;
}
/** Pure: is this registry spoken to over plain HTTP (loopback ones always are, as for the lifecycle)? */
function plainHttp(registry, insecureRegistries) {
    return insecureRegistries.includes(registry) || isLoopbackRegistry(registry);
}
/** Pure: `cosign sign` of one manifest by digest (REPO@sha256:...), key from $COSIGN_PRIVATE_KEY. */
function cosignSignArgs(refByDigest, o) {
    return [
        "sign",
        "--yes",
        "--key",
        `env://${KEY_ENV}`,
        ...(o.offline ? ["--tlog-upload=false"] : []),
        ...(o.plainHttp ? ["--allow-http-registry"] : []),
        refByDigest,
    ];
}
/** Pure: opens the key with the password and prints the public key: a wrong password fails here. */
function cosignCheckKeyArgs() {
    return ["public-key", "--key", `env://${KEY_ENV}`];
}
/**
 * Pure: runs the builder's cosign in a container as this process's uid (so it reads the 0600 Docker
 * config this process wrote); the key and password pass by env name only, values in docker's own env.
 */
function cosignDockerArgs(o) {
    return [
        "run",
        "--rm",
        "--network",
        "host",
        ...(o.platform ? ["--platform", o.platform] : []),
        "--user",
        o.user,
        ...(o.configDir
            ? ["-v", `${o.configDir}:${CONFIG_MOUNT}:ro`, "-e", `DOCKER_CONFIG=${CONFIG_MOUNT}`]
            : []),
        ...(o.caCerts ? ["-v", `${o.caCerts}:${SYSTEM_CA_BUNDLE}:ro`] : []),
        // cosign keeps its TUF cache under $HOME; the CNB user's home may not be this uid's.
        "-e",
        "HOME=/tmp",
        "-e",
        KEY_ENV,
        "-e",
        PASSWORD_ENV,
        "--entrypoint",
        COSIGN_IN_BUILDER,
        o.builderRef,
        ...o.args,
    ];
}
/** Pure: the Docker config.json that hands cosign the credentials ml-buildpacks resolved. */
function dockerConfigJson(auth) {
    const auths = {};
    for (const [registry, value] of Object.entries(auth)) {
        const [scheme, token = ""] = value.split(" ", 2);
        auths[registry] = scheme === "Bearer" ? { registrytoken: token } : { auth: token };
    }
    return `${JSON.stringify({ auths })}\n`;
}
/** Pure: the last meaningful line of cosign's stderr (its own "Error: ..." line), for messages. */
function cosignReason(stderr) {
    const lines = stderr
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("WARNING"));
    const error = lines.find((l) => l.startsWith("Error:"));
    return error ?? lines.at(-1) ?? "cosign failed without a message";
}

;// CONCATENATED MODULE: ./src/core/sign/index.ts
// Signing pushed manifests with cosign, key-based. The key is opened once before anything is built
// (a wrong password fails the build with nothing pushed); each manifest is then signed by digest.
// cosign runs where the build runs: inside the builder (local executor, GitLab, Tekton) or in a
// container of the builder image (docker executor), so one pinned binary serves both.







/**
 * $ML_BUILDPACKS_COSIGN when set, else the builder's own cosign when this process runs inside a
 * builder, else the builder image's cosign through Docker (undefined: no builder to run it from).
 */
function cosignPlace(env, isFile, builder) {
    const fromEnv = env.ML_BUILDPACKS_COSIGN;
    if (fromEnv)
        return { kind: "local", binary: fromEnv };
    if (isFile(COSIGN_IN_BUILDER))
        return { kind: "local", binary: COSIGN_IN_BUILDER };
    return (builder && { kind: "docker", docker: builder.docker, builderRef: builder.ref, platform: builder.platform });
}
/** The signer's effects on this machine: real processes and files. */
function systemSignerDeps(env, log, registerSecret) {
    return {
        run: runProcess,
        env,
        isFile: (path) => (0,external_node_fs_namespaceObject.existsSync)(path) && (0,external_node_fs_namespaceObject.statSync)(path).isFile(),
        readFile: (path) => (0,external_node_fs_namespaceObject.readFileSync)(path, "utf8"),
        log,
        registerSecret,
    };
}
/**
 * The signer of an index push (manifest create, the merge action), which has no builder of its own:
 * cosign from $ML_BUILDPACKS_COSIGN or this builder, else `builderRef`'s through Docker.
 */
function openIndexSigner(opts, o) {
    const place = cosignPlace(o.deps.env, o.deps.isFile, {
        docker: o.docker,
        ref: o.builderRef,
        platform: undefined,
    });
    return openSigner(opts, place, o.access, o.deps);
}
/**
 * Checks the key setting, reads the key, masks it and its password, and opens it with cosign: a
 * wrong password or a .pub fails here, before the caller pushes anything.
 */
async function openSigner(opts, place, access, deps) {
    const source = checkSignOptions(opts, deps.env, deps.isFile);
    const key = "envName" in source
        ? keyText(deps.env[source.envName] ?? "", `env://${source.envName}`)
        : keyText(deps.readFile(source.file), source.file);
    const password = deps.env[PASSWORD_ENV] ?? "";
    deps.registerSecret?.(key);
    if (password)
        deps.registerSecret?.(password);
    if (!place)
        throw new MlBuildpacksError(signMessages.noCosign("no builder image to run it from"));
    const secretEnv = { [KEY_ENV]: key, [PASSWORD_ENV]: password };
    const cosign = async (args, auth) => {
        const configDir = auth ? (0,external_node_fs_namespaceObject.mkdtempSync)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "ml-buildpacks-sign-")) : undefined;
        try {
            if (configDir)
                (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(configDir, "config.json"), dockerConfigJson(auth ?? {}), { mode: 0o600 });
            if (place.kind === "local")
                return await deps.run(place.binary, args, {
                    env: {
                        ...secretEnv,
                        ...(configDir ? { DOCKER_CONFIG: configDir } : {}),
                        ...(access.caCerts ? { SSL_CERT_FILE: access.caCerts } : {}),
                    },
                });
            const user = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
            const dockerArgs = cosignDockerArgs({
                builderRef: place.builderRef,
                platform: place.platform,
                user,
                configDir,
                caCerts: access.caCerts,
                args,
            });
            return await deps.run(place.docker, dockerArgs, { env: secretEnv });
        }
        catch (err) {
            throw new MlBuildpacksError(signMessages.noCosign(err instanceof Error ? err.message : String(err)));
        }
        finally {
            if (configDir)
                (0,external_node_fs_namespaceObject.rmSync)(configDir, { recursive: true, force: true });
        }
    };
    const opened = await cosign(cosignCheckKeyArgs(), undefined);
    // 126/127: the builder has no cosign to execute (one made without scripts/cosign.sh).
    if (place.kind === "docker" && (opened.exitCode === 126 || opened.exitCode === 127))
        throw new MlBuildpacksError(signMessages.noCosign(`the builder ${place.builderRef} has no ${COSIGN_IN_BUILDER}`));
    if (opened.exitCode !== 0)
        throw new MlBuildpacksError(signMessages.keyRejected(cosignReason(opened.stderr)));
    return {
        async sign(repository, registry, digest, tagged) {
            const ref = `${registry}/${repository}@${digest}`;
            const args = cosignSignArgs(ref, {
                offline: opts.offline,
                plainHttp: plainHttp(registry, access.insecureRegistries),
            });
            const auth = access.auth[registry] ? { [registry]: access.auth[registry] } : {};
            const result = await deps.log.group(`Signing ${ref} (cosign)`, () => cosign(args, auth));
            if (result.exitCode !== 0)
                throw new MlBuildpacksError(signMessages.signFailed(ref, cosignReason(result.stderr), tagged));
            deps.log.info(signMessages.signed(ref, opts.offline));
        },
    };
}

;// CONCATENATED MODULE: ./src/core/build/sign.ts

async function openBuildSigner(req, builder, access, deps) {
    const { sign } = req;
    if (!sign || !req.publish)
        return undefined;
    return openSignerWith(sign, req, builder, access, deps, deps.env ?? process.env);
}
/**
 * cosign on this machine or in this builder, else `builder`'s image through Docker; it pushes the
 * signatures with the registry credentials the lifecycle has.
 */
function openSignerWith(sign, tls, builder, access, deps, env) {
    const signerDeps = systemSignerDeps(env, deps.log, deps.registerSecret);
    const auth = JSON.parse(access.lifecycleEnv().CNB_REGISTRY_AUTH ?? "{}");
    const place = cosignPlace(signerDeps.env, signerDeps.isFile, builder && { docker: deps.docker.binary, ref: builder.ref, platform: builder.platform });
    return deps.log.group("Opening the signing key (cosign)", () => openSigner(sign, place, { auth, caCerts: tls.caCerts, insecureRegistries: tls.insecureRegistries }, signerDeps));
}

;// CONCATENATED MODULE: ./src/core/build/without-phases.ts
// The fast path's two ways to finish a build without running a phase: the previous image as is
// (re-tagged where needed), or the previous image with the new app layer swapped in.





async function buildWithoutPhases(fastPath, names, access, owner, log) {
    const { target, tags, previous } = names;
    if (fastPath.reuse) {
        const reused = fastPath.reuse;
        const retag = [...(previous ? [target] : []), ...tags];
        if (retag.length)
            await log.group(`Tagging the previous image as ${retag.map(formatImageRef).join(", ")}`, () => tagImage(access.clientFor, previous ?? target, reused.manifest, retag));
        return { manifest: reused.manifest, buildpacks: reused.buildpacks, appLayerOnly: false };
    }
    if (!(fastPath.swap && fastPath.tree && fastPath.inputs))
        return undefined;
    const { previous: prior, record } = fastPath.swap;
    const { tree, inputs } = fastPath;
    const swapped = await log
        .group("Replacing the app layer of the previous image", async () => {
        const layer = buildAppLayer(tree, owner);
        if ("problem" in layer)
            throw new Error(layer.problem);
        log.info(`app layer: ${layer.files} file(s), ${layer.gzip.length} bytes compressed, ${layer.diffId}`);
        return pushAppLayerSwap(access.clientFor, previous ?? target, prior, layer, inputs, record, [
            target,
            ...tags,
        ]);
    })
        .catch((err) => {
        log.warn(fastPathNotes.appSwapFailed(err instanceof Error ? err.message : String(err)));
        return undefined;
    });
    if (!swapped)
        return undefined;
    const buildpacks = buildpacksOf(prior.config.config?.Labels?.[BUILD_METADATA_LABEL]);
    return { manifest: swapped, buildpacks, appLayerOnly: true };
}

;// CONCATENATED MODULE: ./src/core/build/index.ts
// One build, in the order its log reads: resolve the builder -> the fast path -> the phases ->
// after the export -> the report. Each step lives in its own module of this folder.


















/** Runs analyze, detect, restore, build and export (or the creator) for one image and returns the report. */
async function build(req, deps, resolved) {
    const { log, clock } = deps;
    const started = clock.now();
    checkSecretsApart(req.env, req.secrets);
    for (const value of Object.values(req.secrets))
        for (const mask of maskablesOf(value))
            deps.registerSecret?.(mask);
    if (!(0,external_node_fs_namespaceObject.existsSync)(req.appDir) || !(0,external_node_fs_namespaceObject.statSync)(req.appDir).isDirectory())
        throw new MlBuildpacksError(messages.appDirNotFound(req.appDir));
    const names = buildTargets(req);
    const access = new RegistryAccess(names.registries, req, deps);
    const registry = access.clientFor(names.target.registry);
    // The previous image is read and the target registry pinged while the builder is resolved: an
    // up-to-date build is mostly waiting on the registry. Read before the export moves the tag: the
    // recompression keeps the blobs it already holds.
    const previousRead = req.publish ? startPreviousRead(req, access.clientFor) : undefined;
    // Whether the registry deletes manifests decides what else a build may push (pre-export/plan.ts);
    // asked now, it costs the build no wait. Never rejects.
    const deletesProbe = req.publish ? registry.deleteSupport(names.target.repository) : undefined;
    const builder = await reachRegistryAndBuilder(req, deps, registry, resolved);
    const platformApi = choosePlatformApi(req, builder);
    const base = reportBase(req, builder, platformApi, names);
    if (!req.publish)
        await pullRunImage(req, builder, deps);
    // The key is opened before anything is pushed: a wrong password leaves every tag as it was.
    const signer = await openBuildSigner(req, builder, access, deps);
    const fastPath = await log.group("Checking inputs against the previous image (fast path)", async () => {
        const outcome = await decideFastPath(req, builder, platformApi, access.clientFor, previousRead);
        log.info(outcome.reason);
        return outcome;
    });
    const owner = { uid: builder.uid, gid: builder.gid };
    const noPhase = await buildWithoutPhases(fastPath, names, access, owner, log);
    if (noPhase) {
        await saveRequestedSbom(req, registry, names.target.repository, noPhase.manifest.digest, log);
        await signer?.sign(names.target.repository, names.target.registry, noPhase.manifest.digest, true);
        return {
            ...base,
            ...noPhaseImage(noPhase.manifest, names.target),
            buildpacks: noPhase.buildpacks,
            layers: emptyActivity(),
            phases: [],
            totalMs: clock.now() - started,
            fastPath: {
                ...fastPathReport(fastPath, true),
                ...(noPhase.appLayerOnly ? { appLayerOnly: true } : {}),
            },
        };
    }
    const run = await runLifecycle({
        req,
        builder,
        platformApi,
        names,
        access,
        registry,
        fastPath,
        deletesProbe,
        deps,
    });
    const image = await finishExportedImage({
        req,
        names,
        access,
        registry,
        fastPath,
        run,
        previousRead,
        owner,
        deps,
    });
    if (req.publish && image.digest)
        await signer?.sign(names.target.repository, names.target.registry, image.digest, true);
    return {
        ...base,
        ...image,
        buildpacks: run.group,
        layers: run.layers,
        phases: run.phases,
        totalMs: clock.now() - started,
        fastPath: fastPathReport(fastPath, false),
    };
}
/** Fails before any phase when the target registry is down: nothing half-built, nothing pushed. */
async function reachRegistryAndBuilder(req, deps, registry, resolved) {
    const [pinged, resolving] = await Promise.allSettled([
        req.publish ? registry.ping(req.image) : undefined,
        resolved ?? resolveBuilder(req, deps),
    ]);
    if (pinged.status === "rejected")
        throw pinged.reason;
    if (resolving.status === "rejected")
        throw resolving.reason;
    return resolving.value;
}
/** The image facts of a build that ran no phase: the previous image, or its app-layer swap. */
function noPhaseImage(manifest, target) {
    return {
        digest: manifest.digest,
        imageId: manifest.body.config?.digest ?? "",
        imageRef: formatImageRef(withDigest(target, manifest.digest)),
        imageSizeBytes: manifestSize(manifest),
    };
}

;// CONCATENATED MODULE: ./src/core/log.ts
function formatDuration(ms) {
    if (ms < 1000)
        return `${ms} ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)} s`;
    const m = Math.floor(s / 60);
    return `${m} min ${Math.round(s - m * 60)} s`;
}
function formatBytes(bytes) {
    const units = ["B", "KiB", "MiB", "GiB"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
const systemClock = { now: () => Date.now() };
/** Plain console logger for the CLI: a header per section and its duration at the end. */
class ConsoleLogger {
    clock;
    write;
    writeErr;
    constructor(clock = systemClock, write = (s) => process.stdout.write(s), writeErr = (s) => process.stderr.write(s)) {
        this.clock = clock;
        this.write = write;
        this.writeErr = writeErr;
    }
    info(message) {
        this.write(`${message}\n`);
    }
    warn(message) {
        this.writeErr(`WARNING: ${message}\n`);
    }
    error(message) {
        this.writeErr(`${message}\n`);
    }
    output(line) {
        this.write(`${line}\n`);
    }
    async group(title, fn) {
        const started = this.clock.now();
        this.write(`\n===> ${title}\n`);
        try {
            const result = await fn();
            this.write(`<=== ${title}: done in ${formatDuration(this.clock.now() - started)}\n`);
            return result;
        }
        catch (err) {
            this.write(`<=== ${title}: failed after ${formatDuration(this.clock.now() - started)}\n`);
            throw err;
        }
    }
}

;// CONCATENATED MODULE: ./src/core/published.ts
// The names of everything ml-buildpacks publishes, from one setting: the registry namespace.
// <ns>/{build,run,builder}:<flavor>[-<version>][-<arch>]; per-arch images and multi-arch indexes.




/** Where the project's own release publishes (GitHub org/repo ml-buildpacks/ml-buildpacks on GHCR). */
const PUBLISHED_NAMESPACE = "ghcr.io/ml-buildpacks/ml-buildpacks";
const FLAVORS = ["cpu", "cuda"];
/**
 * The namespace users pull from: ML_BUILDPACKS_NAMESPACE (a mirror in a platform team's registry, an
 * air-gapped copy, the lab), else the project's own. Registries want lower-case repository names.
 */
function publishedNamespace(env = process.env) {
    const value = env.ML_BUILDPACKS_NAMESPACE?.trim().replace(/\/+$/, "");
    return value ? validNamespace(value) : PUBLISHED_NAMESPACE;
}
/** registry[:port]/path, lower-cased; a scheme, tag or digest would make every image name wrong. */
function validNamespace(value) {
    const invalid = (why) => new MlBuildpacksError(messages.invalidNamespace(value, why));
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
        throw invalid("it has a scheme (leave out https://)");
    if (value.includes("@"))
        throw invalid("it has a digest");
    const namespace = value.toLowerCase();
    let ref;
    try {
        ref = parseImageRef(`${namespace}/builder:cpu`);
    }
    catch {
        throw invalid("its path is not registry[:port]/name (lowercase letters, digits, . _ - /; no tag)");
    }
    // "ml-buildpacks" alone would become docker.io/library/...: a namespace names its registry.
    if (ref.registry === "index.docker.io" && !namespace.startsWith("docker.io/"))
        throw invalid("it does not start with a registry host (e.g. ghcr.io/, docker.io/)");
    return namespace;
}
function isFlavor(value) {
    return FLAVORS.includes(value);
}
/** [flavor, version, arch] joined by "-": cpu, cpu-1.0.0, cpu-1.0.0-amd64, cpu-amd64. */
function publishedTag(parts) {
    return [parts.flavor, parts.version, parts.arch].filter((p) => p !== undefined && p !== "").join("-");
}
function publishedImage(namespace, kind, parts) {
    return `${namespace}/${kind}:${publishedTag(parts)}`;
}
/** The version tags a release moves: 1.2.3 -> 1.2.3, 1.2, 1. */
function versionTags(version) {
    const [major, minor] = version.split(".");
    return [version, `${major}.${minor}`, `${major}`];
}
/** major.minor: the line a builder's run image follows, so patch releases of the stacks reach it. */
function versionLine(version) {
    return version.split(".").slice(0, 2).join(".");
}
/** The builder each adapter uses by default: its own release's, of the given flavor (an index). */
function defaultBuilder(env, flavor, version = ML_BUILDPACKS_VERSION) {
    return publishedImage(publishedNamespace(env), "builder", { flavor, version });
}
/**
 * The run image to pass with the default builder: none for the published namespace (the builder names
 * its own), else the mirror's `<ns>/run:<flavor>-<major.minor>`. A copied builder still names the
 * namespace it was created for; without this an air-gapped build would reach for that registry.
 */
function defaultRunImage(env, flavor, version = ML_BUILDPACKS_VERSION) {
    const namespace = publishedNamespace(env);
    if (namespace === PUBLISHED_NAMESPACE)
        return undefined;
    return publishedImage(namespace, "run", { flavor, version: versionLine(version) });
}
/** Fills a builder.toml template's ${namespace}, ${version}, ${line} and ${arch}. */
function fillBuilderTemplate(text, values) {
    const known = {
        namespace: values.namespace,
        version: values.version,
        line: versionLine(values.version),
        arch: values.arch,
    };
    // An unknown or unset placeholder stays, so the config check names it.
    return text.replace(/\$\{(\w+)\}/g, (whole, key) => known[key] ?? whole);
}

;// CONCATENATED MODULE: ./src/core/builder/config.ts






const TOP_LEVEL_KEYS = ["description", "stack", "build", "run", "buildpacks", "order", "lifecycle"];
const isTable = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v) => (typeof v === "string" && v.trim() !== "" ? v : undefined);
/**
 * Reads a builder.toml; a template (${namespace}, ${version}, ${line} in image names) is filled with
 * `names`, so one file serves the published release, a mirror and the lab.
 */
function readBuilderConfig(file, names) {
    if (!(0,external_node_fs_namespaceObject.existsSync)(file))
        throw new MlBuildpacksError(messages.fileNotFound(file, "builder config"));
    return parseBuilderConfig(builderConfigText(file, names), file);
}
/** The builder.toml's text with its template filled (unchanged when it has no placeholders). */
function builderConfigText(file, names) {
    const text = (0,external_node_fs_namespaceObject.readFileSync)(file, "utf8");
    return names ? fillBuilderTemplate(text, names) : text;
}
/** Pure apart from checking that buildpack directories exist. */
function parseBuilderConfig(text, file) {
    const doc = parseTomlFile(text, file);
    const fail = (problem, hint, line) => {
        throw new MlBuildpacksError(messages.builderConfigInvalid({ file, line }, problem, hint));
    };
    const placeholder = /\$\{(\w+)\}/.exec(text);
    if (placeholder)
        fail(`unfilled placeholder \${${placeholder[1]}}`, "it is a template: pass --namespace and --version to builder create, or write the image names out", lineOf(text, /\$\{\w+\}/));
    for (const key of Object.keys(doc)) {
        if (!TOP_LEVEL_KEYS.includes(key))
            fail(`unknown key "${key}"`, `remove it; known keys: ${TOP_LEVEL_KEYS.join(", ")}`, lineOf(text, (line) => startsWithKey(line, key)));
    }
    const stack = isTable(doc.stack) ? doc.stack : {};
    const build = isTable(doc.build) ? doc.build : {};
    const run = isTable(doc.run) ? doc.run : {};
    const buildImage = str(build.image) ?? str(stack["build-image"]);
    if (!buildImage)
        fail("no build image", 'set [build] image = "..." (or [stack] build-image = "...")', lineOf(text, /^\s*\[(stack|build)\]/));
    const runImages = [];
    if (Array.isArray(run.images)) {
        for (const [i, entry] of run.images.entries()) {
            const image = isTable(entry) ? str(entry.image) : undefined;
            if (!image)
                fail(`[[run.images]] entry ${i + 1} has no image`, 'add image = "registry/run-image:tag"', lineOf(text, /^\s*\[\[run\.images\]\]/));
            runImages.push({
                image: image,
                mirrors: stringList(isTable(entry) ? entry.mirrors : undefined),
            });
        }
    }
    else if (str(stack["run-image"])) {
        runImages.push({
            image: str(stack["run-image"]),
            mirrors: stringList(stack["run-image-mirrors"]),
        });
    }
    if (runImages.length === 0)
        fail("no run image", 'add [[run.images]] image = "..." (or [stack] run-image = "...")', lineOf(text, /^\s*\[(stack|build)\]/));
    const baseDir = (0,external_node_path_namespaceObject.dirname)((0,external_node_path_namespaceObject.resolve)(file));
    const buildpackDirs = [];
    const buildpacks = Array.isArray(doc.buildpacks) ? doc.buildpacks : [];
    let searchFrom = 0;
    for (const [i, entry] of buildpacks.entries()) {
        const line = lineOf(text, /^\s*\[\[buildpacks\]\]/, searchFrom);
        searchFrom = line ?? searchFrom;
        const uri = isTable(entry) ? str(entry.uri) : undefined;
        if (!uri)
            fail(`[[buildpacks]] entry ${i + 1} has no uri`, 'add uri = "path/to/buildpack" (relative to this file)', line);
        if (/^[a-z]+:\/\//.test(uri) && !uri.startsWith("file://"))
            fail(`buildpack uri "${uri}" is not a local directory`, "ml-buildpacks builders take buildpacks from local directories", line);
        const dir = (0,external_node_path_namespaceObject.resolve)(baseDir, uri.replace(/^file:\/\//, ""));
        if (!(0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(dir, "buildpack.toml")))
            fail(`buildpack uri "${uri}" has no buildpack.toml (looked in ${dir})`, "point uri at a buildpack directory, relative to this file", line);
        buildpackDirs.push(dir);
    }
    if (buildpackDirs.length === 0)
        fail("no [[buildpacks]]", 'add at least one [[buildpacks]] uri = "..."');
    const order = [];
    searchFrom = 0;
    for (const [i, entry] of (Array.isArray(doc.order) ? doc.order : []).entries()) {
        const line = lineOf(text, /^\s*\[\[order\]\]/, searchFrom);
        searchFrom = line ?? searchFrom;
        const group = isTable(entry) && Array.isArray(entry.group) ? entry.group : [];
        if (group.length === 0)
            fail(`[[order]] ${i + 1} has no group entries`, "add [[order.group]] tables with id (and version)", line);
        order.push({
            group: group.map((g) => {
                const id = isTable(g) ? str(g.id) : undefined;
                if (!id)
                    fail(`an [[order.group]] in [[order]] ${i + 1} has no id`, 'add id = "buildpack/id"', line);
                const t = g;
                return {
                    id: id,
                    ...(str(t.version) ? { version: t.version } : {}),
                    ...(t.optional === true ? { optional: true } : {}),
                };
            }),
        });
    }
    if (order.length === 0)
        fail("no [[order]] groups", "add at least one [[order]] with [[order.group]] entries");
    const lifecycle = isTable(doc.lifecycle) ? doc.lifecycle : {};
    return {
        file,
        description: str(doc.description) ?? "",
        stackId: str(stack.id),
        buildImage: buildImage,
        runImages,
        buildpackDirs,
        order,
        lifecycleVersion: str(lifecycle.version),
    };
}
function stringList(v) {
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
}
function readBuildpackDescriptor(dir) {
    const file = (0,external_node_path_namespaceObject.join)(dir, "buildpack.toml");
    const text = (0,external_node_fs_namespaceObject.readFileSync)(file, "utf8");
    const doc = parseTomlFile(text, file);
    const bp = isTable(doc.buildpack) ? doc.buildpack : {};
    const fail = (problem, hint) => {
        throw new MlBuildpacksError(messages.builderConfigInvalid({ file, line: lineOf(text, /^\s*\[buildpack\]/) }, problem, hint));
    };
    const id = str(bp.id) ?? fail("[buildpack] has no id", 'add id = "org/name"');
    const version = str(bp.version) ?? fail("[buildpack] has no version", 'add version = "0.1.0"');
    const api = str(doc.api) ?? fail('no api = "0.10" at the top', "declare the Buildpack API version");
    if (!(0,external_node_fs_namespaceObject.statSync)(dir).isDirectory())
        fail("not a directory", "point at the buildpack directory");
    return {
        dir,
        api: api,
        id: id,
        version: version,
        name: str(bp.name),
        homepage: str(bp.homepage),
        targets: (Array.isArray(doc.targets) ? doc.targets : [])
            .filter(isTable)
            .map((t) => ({ os: String(t.os ?? "linux"), arch: String(t.arch ?? "") })),
        stacks: (Array.isArray(doc.stacks) ? doc.stacks : []).filter(isTable).map((s) => ({ id: String(s.id) })),
    };
}
/** Checks every order entry names an included buildpack (and version); fills in missing versions. */
function resolveOrder(config, buildpacks, text) {
    return config.order.map(({ group }) => ({
        group: group.map((entry) => {
            const matches = buildpacks.filter((b) => b.id === entry.id && (!entry.version || b.version === entry.version));
            const first = matches[0];
            if (!first) {
                const known = buildpacks.map((b) => `${b.id}@${b.version}`).join(", ");
                throw new MlBuildpacksError(messages.builderConfigInvalid({
                    file: config.file,
                    line: lineOf(text, (line) => /\bid\s*=/.test(line) && line.includes(`"${entry.id}"`)),
                }, `order group entry ${entry.id}${entry.version ? `@${entry.version}` : ""} is not among the [[buildpacks]]`, `use one of: ${known}`));
            }
            return { ...entry, version: first.version };
        }),
    }));
}
/** The line defines `key` (bare, quoted or as a [table]): plain string tests, as a key can be any text. */
function startsWithKey(line, key) {
    const rest = line.replace(/^\s*\[*\s*["']?/, "");
    return rest.startsWith(key) && !/[\w-]/.test(rest.charAt(key.length));
}

;// CONCATENATED MODULE: ./src/core/builder/go-buildinfo.ts
// The build info the Go toolchain embeds in every binary it builds (what `go version -m` prints):
// the Go version, the main module and every dependency module with its go.sum hash. Builder create
// reads it from the lifecycle and launcher binaries to write their SBOMs.
//
// Format (Go >= 1.18; older binaries keep pointers into the data section instead, which a reader of
// raw bytes cannot follow, so they are treated as having no build info): a 16-byte aligned blob
// starting with the 14-byte magic "\xff Go buildinf:", then a pointer-size byte and a flags byte
// (bit 2: the strings follow inline), padded to 32 bytes; then two strings, each a uvarint length and
// its bytes: the Go version and the module info. The module info is framed by a 16-byte sentinel at
// each end and holds tab-separated lines: path, mod, dep, "=>" (replaces the module on the line
// before) and build settings.
const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
const HEADER_SIZE = 32;
const FLAGS_OFFSET = 15;
const FLAG_INLINE = 0x2;
const SENTINEL = 16;
/** Pure: the build info of the Go binary `bin`, or undefined when it has none this reader can read. */
function readGoBuildInfo(bin) {
    // The magic is aligned in the data section; a file offset usually keeps that alignment, but try
    // every occurrence rather than trust it, and take the first that decodes.
    for (let at = bin.indexOf(MAGIC); at >= 0; at = bin.indexOf(MAGIC, at + 1)) {
        const info = decodeAt(bin, at);
        if (info)
            return info;
    }
    return undefined;
}
function decodeAt(bin, at) {
    if (at + HEADER_SIZE > bin.length)
        return undefined;
    const flags = bin[at + FLAGS_OFFSET] ?? 0;
    if ((flags & FLAG_INLINE) === 0)
        return undefined;
    const version = readString(bin, at + HEADER_SIZE);
    // "go1.26.8", or "devel go1.27-abc ..." from a toolchain built from source: printable text, else
    // the magic was a stray match.
    if (!version || !/^[\x21-\x7e][\x20-\x7e]*$/.test(version.text))
        return undefined;
    const mod = readString(bin, version.end);
    if (!mod)
        return undefined;
    return { goVersion: version.text, ...parseModInfo(unframe(mod.text)) };
}
/** A uvarint-length-prefixed string at `offset`, or undefined when it runs past the buffer. */
function readString(bin, offset) {
    let length = 0;
    let shift = 0;
    let pos = offset;
    for (;;) {
        const byte = bin[pos++];
        if (byte === undefined || shift > 49)
            return undefined;
        length += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if ((byte & 0x80) === 0)
            break;
    }
    if (pos + length > bin.length)
        return undefined;
    return { text: bin.toString("utf8", pos, pos + length), end: pos + length };
}
/** The module info between its sentinels; empty when it has none (a binary built outside a module). */
function unframe(mod) {
    return mod.length >= 2 * SENTINEL + 1 && mod[mod.length - SENTINEL - 1] === "\n"
        ? mod.slice(SENTINEL, mod.length - SENTINEL)
        : "";
}
/** Pure: the lines of the module info; lines it does not know are skipped (newer toolchains). */
function parseModInfo(text) {
    const out = { path: "", deps: [], settings: {} };
    let last;
    for (const line of text.split("\n")) {
        const [kind, ...cols] = line.split("\t");
        if (kind === "path")
            out.path = cols.join("\t");
        else if ((kind === "mod" || kind === "dep") && cols[0] && cols[1] !== undefined) {
            last = { path: cols[0], version: cols[1], ...(cols[2] ? { sum: cols[2] } : {}) };
            if (kind === "mod")
                out.main = last;
            else
                out.deps.push(last);
        }
        else if (kind === "=>" && last && cols[0]) {
            replace(last, cols[0], cols[1] ?? "", cols[2]);
            last = undefined;
        }
        else if (kind === "build") {
            const setting = cols.join("\t");
            const eq = setting.indexOf("=");
            if (eq > 0)
                out.settings[setting.slice(0, eq)] = setting.slice(eq + 1);
        }
    }
    return out;
}
/**
 * Applies a replacement in place. A module version takes the original's place (it is what was
 * linked) and names what it replaced; a local directory keeps the original's name and version (all
 * there is to name it by) but not its sum, which describes code that was not linked.
 */
function replace(m, path, version, sum) {
    delete m.sum;
    if (!version) {
        m.localDir = path;
        return;
    }
    m.replaces = { path: m.path, version: m.version };
    m.path = path;
    m.version = version;
    if (sum)
        m.sum = sum;
}

;// CONCATENATED MODULE: ./src/core/builder/labels.ts

/** Pure: the labels pack, kpack and our own core read from a builder image. */
function builderLabels(inputs) {
    const { config, buildpacks, apis } = inputs;
    const [firstRun] = config.runImages;
    const metadata = {
        description: config.description,
        buildpacks: buildpacks.map((b) => ({
            id: b.id,
            version: b.version,
            ...(b.homepage ? { homepage: b.homepage } : {}),
        })),
        stack: { runImage: { image: firstRun?.image ?? "", mirrors: firstRun?.mirrors ?? [] } },
        images: config.runImages.map((r) => ({ image: r.image, mirrors: r.mirrors })),
        lifecycle: {
            version: inputs.lifecycleVersion,
            // Deprecated single-version fields, still read by old pack releases.
            api: { buildpack: apis.buildpack.at(-1) ?? "", platform: apis.platform.at(-1) ?? "" },
            apis: {
                buildpack: { deprecated: [], supported: apis.buildpack },
                platform: { deprecated: [], supported: apis.platform },
            },
        },
        createdBy: inputs.createdBy,
    };
    const layers = {};
    buildpacks.forEach((b, i) => {
        layers[b.id] ??= {};
        layers[b.id][b.version] = {
            api: b.api,
            layerDiffID: inputs.layerDiffIds[i] ?? "",
            ...(b.homepage ? { homepage: b.homepage } : {}),
            ...(b.name ? { name: b.name } : {}),
            ...(b.targets.length ? { targets: b.targets } : {}),
            ...(b.stacks.length ? { stacks: b.stacks } : {}),
        };
    });
    return {
        [BUILDER_METADATA_LABEL]: JSON.stringify(metadata),
        [BUILDPACK_LAYERS_LABEL]: JSON.stringify(layers),
        [BUILDPACK_ORDER_LABEL]: JSON.stringify(inputs.order),
    };
}
/** /cnb/buildpacks/<id with / replaced by _>/<version> */
function buildpackPath(b) {
    return `/cnb/buildpacks/${b.id.replaceAll("/", "_")}/${b.version}`;
}

;// CONCATENATED MODULE: ./src/sbom/documents.ts
// SBOM documents (CycloneDX 1.5, SPDX 2.3) from a list of components. Shared by the buildpacks'
// layer SBOMs (libcnb: <layers>/<layer>.sbom.<ext>, which the exporter copies to
// /layers/sbom/launch/<buildpack>/<layer>/sbom.<ext>) and builder create (the lifecycle's and the
// launcher's SBOMs in /cnb/lifecycle): pure, so both layers of the code can use it.
//
// The documents are pure functions of the components: no clock, no random serial number. An SBOM
// that changed every build would change the SBOM layer, and so the image digest, of a build whose
// inputs did not change.

const CYCLONEDX_MEDIA_TYPE = "application/vnd.cyclonedx+json";
const SPDX_MEDIA_TYPE = "application/spdx+json";
/** Media type -> file extension, as the Buildpack API names them. */
const SBOM_EXTENSIONS = {
    [CYCLONEDX_MEDIA_TYPE]: "cdx.json",
    [SPDX_MEDIA_TYPE]: "spdx.json",
};
/**
 * The documents' creation time: the lifecycle's fixed image creation time (1980-01-01T00:00:01Z),
 * so that an unchanged build writes byte-identical SBOMs.
 */
const SBOM_CREATED = "1980-01-01T00:00:01Z";
const HEX64 = /^[0-9a-f]{64}$/;
// A conservative reading of an SPDX license expression: ids joined by AND/OR/WITH, optional parens.
const LICENSE_EXPRESSION = /^\(?[A-Za-z0-9.+-]+( (AND|OR|WITH) \(?[A-Za-z0-9.+-]+\)?)*\)?$/;
/** Components sorted by purl, one per purl (the first wins): the documents' stable order. */
function normalizeComponents(components) {
    const seen = new Map();
    for (const c of components)
        if (!seen.has(c.purl))
            seen.set(c.purl, c);
    return [...seen.values()].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}
/** A name-based UUID (RFC 4122 version 5 layout over sha256) of `text`. */
function stableUuid(text) {
    const h = (0,external_node_crypto_namespaceObject.createHash)("sha256").update(text).digest();
    h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
    h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
    const x = h.subarray(0, 16).toString("hex");
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
function contentKey(subject, components) {
    return JSON.stringify([subject, components]);
}
const validSha256 = (c) => c.hashes.sha256 && HEX64.test(c.hashes.sha256) ? c.hashes.sha256 : undefined;
const sortedProperties = (c) => Object.entries(c.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const validLicenses = (c) => (c.licenses ?? []).filter((l) => LICENSE_EXPRESSION.test(l));
/** A CycloneDX 1.5 JSON document. */
function cycloneDx(subject, components) {
    const list = normalizeComponents(components);
    return {
        bomFormat: "CycloneDX",
        specVersion: "1.5",
        serialNumber: `urn:uuid:${stableUuid(contentKey(subject, list))}`,
        version: 1,
        metadata: {
            timestamp: SBOM_CREATED,
            tools: {
                components: [{ type: "application", name: subject.tool.name, version: subject.tool.version }],
            },
            component: { type: "application", "bom-ref": "subject", name: subject.name },
        },
        components: list.map((c) => {
            const sha = validSha256(c);
            const licenses = validLicenses(c);
            const props = sortedProperties(c);
            return {
                type: c.type ?? "library",
                "bom-ref": c.purl,
                name: c.name,
                version: c.version,
                purl: c.purl,
                ...(sha ? { hashes: [{ alg: "SHA-256", content: sha }] } : {}),
                ...(licenses.length ? { licenses: licenses.map((l) => ({ expression: l })) } : {}),
                ...(props.length ? { properties: props.map(([name, value]) => ({ name, value })) } : {}),
            };
        }),
    };
}
/** "SPDXRef-" + only the characters SPDX allows, made unique by the component's index. */
function spdxId(index, name) {
    return `SPDXRef-Package-${index + 1}-${name.replace(/[^A-Za-z0-9.-]/g, "-")}`;
}
/** An SPDX 2.3 JSON document. */
function spdx(subject, components) {
    const list = normalizeComponents(components);
    const uuid = stableUuid(contentKey(subject, list));
    const packages = list.map((c, i) => {
        const sha = validSha256(c);
        const licenses = validLicenses(c);
        const props = sortedProperties(c);
        return {
            name: c.name,
            SPDXID: spdxId(i, c.name),
            versionInfo: c.version,
            downloadLocation: "NOASSERTION",
            filesAnalyzed: false,
            ...(sha ? { checksums: [{ algorithm: "SHA256", checksumValue: sha }] } : {}),
            licenseConcluded: "NOASSERTION",
            licenseDeclared: licenses.length
                ? licenses.map((l) => (licenses.length > 1 ? `(${l})` : l)).join(" AND ")
                : "NOASSERTION",
            copyrightText: "NOASSERTION",
            ...(props.length ? { comment: props.map(([k, v]) => `${k}: ${v}`).join("\n") } : {}),
            externalRefs: [
                { referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: c.purl },
            ],
        };
    });
    return {
        spdxVersion: "SPDX-2.3",
        dataLicense: "CC0-1.0",
        SPDXID: "SPDXRef-DOCUMENT",
        name: subject.name,
        documentNamespace: `https://github.com/ml-buildpacks/ml-buildpacks/spdx/${encodeURIComponent(subject.tool.name)}/${uuid}`,
        creationInfo: { created: SBOM_CREATED, creators: [`Tool: ${subject.tool.name}-${subject.tool.version}`] },
        packages,
        relationships: packages.map((p) => ({
            spdxElementId: "SPDXRef-DOCUMENT",
            relationshipType: "DESCRIBES",
            relatedSpdxElement: p.SPDXID,
        })),
    };
}
/** Both documents, by file extension, as the files' text. */
function sbomFiles(subject, components) {
    const text = (doc) => `${JSON.stringify(doc, null, 2)}\n`;
    return {
        [SBOM_EXTENSIONS[CYCLONEDX_MEDIA_TYPE]]: text(cycloneDx(subject, components)),
        [SBOM_EXTENSIONS[SPDX_MEDIA_TYPE]]: text(spdx(subject, components)),
    };
}
/** purl percent-encoding: everything but unreserved characters (a version's ":" and "+" included). */
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
/** A Package URL: pkg:type/namespace/name@version?qualifiers (sorted, empty ones left out). */
function purl(type, namespace, name, version, qualifiers = {}) {
    const q = Object.entries(qualifiers)
        .filter((e) => !!e[1])
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${enc(v)}`)
        .join("&");
    const ns = namespace ? `${namespace.split("/").map(enc).join("/")}/` : "";
    return `pkg:${type}/${ns}${enc(name)}@${enc(version)}${q ? `?${q}` : ""}`;
}
/** PEP 503 normalized project name, as the pypi purl type wants it. */
function pypiName(name) {
    return name.toLowerCase().replace(/[-_.]+/g, "-");
}

;// CONCATENATED MODULE: ./src/core/builder/lifecycle-sbom.ts
// The lifecycle's and the launcher's SBOMs, from the Go build info of the binaries builder create
// puts in /cnb/lifecycle. The exporter copies /cnb/lifecycle/launcher.sbom.<ext> into every image's
// launch SBOM (the launcher is in every image) and lifecycle.sbom.<ext> into its build SBOM; release
// tarballs of the lifecycle carry these files, a lifecycle built from source does not.


/** CycloneDX property names (the SPDX comment uses the same). */
const GO_PROPERTIES = {
    sum: "ml-buildpacks:go:module-sum",
    package: "ml-buildpacks:go:main-package",
    localDir: "ml-buildpacks:go:replaced-by-directory",
    replaces: "ml-buildpacks:go:replaces",
};
/** The syft JSON schema the document follows (the fields written here are in it since 16.0.0). */
const SYFT_SCHEMA = {
    version: "16.0.0",
    url: "https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.0.0.json",
};
/** pkg:golang/<module path>@<version>: the module path's last element is the purl's name. */
function goPurl(path, version) {
    const slash = path.lastIndexOf("/");
    return slash < 0
        ? purl("golang", undefined, path, version)
        : purl("golang", path.slice(0, slash), path.slice(slash + 1), version);
}
function moduleComponent(m, type, extra = {}) {
    const properties = { ...extra };
    if (m.sum)
        properties[GO_PROPERTIES.sum] = m.sum;
    if (m.localDir)
        properties[GO_PROPERTIES.localDir] = m.localDir;
    if (m.replaces)
        properties[GO_PROPERTIES.replaces] = `${m.replaces.path}@${m.replaces.version}`;
    return {
        name: m.path,
        version: m.version,
        purl: goPurl(m.path, m.version),
        hashes: {},
        type,
        ...(Object.keys(properties).length ? { properties } : {}),
    };
}
/**
 * Pure: the binary's components: its main module (the application), every module linked in, and
 * the Go standard library of the toolchain that built it (named and versioned as syft names it, so
 * scanners match Go's own advisories).
 */
function goComponents(info) {
    const stdlib = {
        name: "stdlib",
        version: info.goVersion,
        purl: goPurl("stdlib", info.goVersion.replace(/^go/, "")),
        hashes: {},
    };
    const main = info.main
        ? [moduleComponent(info.main, "application", { [GO_PROPERTIES.package]: info.path })]
        : [];
    return [...main, ...info.deps.map((d) => moduleComponent(d, "library")), stdlib];
}
const SYFT_MEDIA_EXTENSION = "syft.json";
/** A syft artifact id: stable (a hash of what identifies it), as syft's own ids are. */
const artifactId = (c) => (0,external_node_crypto_namespaceObject.createHash)("sha256").update(c.purl).digest("hex").slice(0, 16);
/**
 * Pure: a syft JSON document of `components` found in the binary at `location`: what syft itself
 * would write for a Go binary, minus what this reader does not know (licenses, CPEs).
 */
function syftDocument(info, components, location, tool) {
    const settings = Object.entries(info.settings)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => ({ key, value }));
    const mainModule = info.main?.path ?? "";
    return {
        artifacts: normalizeComponents(components).map((c) => {
            const sum = c.properties?.[GO_PROPERTIES.sum];
            return {
                id: artifactId(c),
                name: c.name,
                version: c.version,
                type: "go-module",
                foundBy: tool.name,
                locations: [{ path: location }],
                licenses: [],
                language: "go",
                cpes: [],
                purl: c.purl,
                metadataType: "go-module-buildinfo-entry",
                metadata: {
                    ...(c.type === "application" ? { goBuildSettings: settings } : {}),
                    goCompiledVersion: info.goVersion,
                    architecture: info.settings.GOARCH ?? "",
                    ...(sum ? { h1Digest: sum } : {}),
                    ...(mainModule ? { mainModule } : {}),
                },
            };
        }),
        artifactRelationships: [],
        source: {
            id: (0,external_node_crypto_namespaceObject.createHash)("sha256").update(`${location}\n${info.path}`).digest("hex"),
            name: location,
            version: info.main?.version ?? "",
            type: "file",
            metadata: { path: location },
        },
        distro: {},
        descriptor: { name: tool.name, version: tool.version },
        schema: { ...SYFT_SCHEMA },
    };
}
/**
 * Pure: `<binary>.sbom.{cdx,spdx,syft}.json` by file name, as the exporter looks for them beside the
 * binary (`location` is where the builder has it, e.g. /cnb/lifecycle/launcher).
 */
function binarySbomFiles(binary, location, info, tool) {
    const components = goComponents(info);
    const subject = { name: `${location} (${info.path})`, tool };
    const text = (doc) => `${JSON.stringify(doc, null, 2)}\n`;
    return {
        [`${binary}.sbom.${SBOM_EXTENSIONS[CYCLONEDX_MEDIA_TYPE]}`]: text(cycloneDx(subject, components)),
        [`${binary}.sbom.${SBOM_EXTENSIONS[SPDX_MEDIA_TYPE]}`]: text(spdx(subject, components)),
        [`${binary}.sbom.${SYFT_MEDIA_EXTENSION}`]: text(syftDocument(info, components, location, tool)),
    };
}

;// CONCATENATED MODULE: ./src/core/builder/create.ts


















/** Where the builder carries the CLI, and its wrapper on PATH (node is in the build image). */
const BUILDER_CLI_DIR = "/cnb/ml-buildpacks";
const BUILDER_CLI_WRAPPER = "/usr/local/bin/ml-buildpacks";
const PHASE_LINKS = [
    "analyzer",
    "detector",
    "restorer",
    "builder",
    "exporter",
    "creator",
    "rebaser",
    "extender",
];
async function createBuilder(req, deps) {
    const { docker, log } = deps;
    const config = readBuilderConfig(req.configFile, req.names);
    const configText = builderConfigText(req.configFile, req.names);
    const buildpacks = config.buildpackDirs.map(readBuildpackDescriptor);
    const order = resolveOrder(config, buildpacks, configText);
    for (const bp of buildpacks) {
        if (!(0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(bp.dir, "bin", "main.mjs")))
            throw new MlBuildpacksError(messages.buildpackNotBuilt(bp.dir));
    }
    const lifecycleVersion = await readLifecycleVersion(req.lifecycleDir, config.lifecycleVersion, deps.run);
    const apis = lifecycleApis(lifecycleVersion);
    const auth = resolveRegistryAuth([parseImageRef(config.buildImage).registry]);
    const buildImageRef = await pinForPlatform(config.buildImage, req.platform, (r) => new RegistryClient(r, { auth, caCerts: req.caCerts, insecureRegistries: req.insecureRegistries }));
    const buildImage = await log.group(`Resolving build image ${buildImageRef} (${req.platform})`, () => docker.ensureImage(buildImageRef, { pull: "missing", platform: req.platform }));
    const builtFor = `${buildImage.Os}/${buildImage.Architecture}`;
    if (builtFor !== req.platform)
        throw new MlBuildpacksError(messages.unsupportedPlatform(req.platform, buildImageRef, builtFor));
    log.info(`build image ${buildImage.Id.slice(0, 19)} (${buildImage.Os}/${buildImage.Architecture}), lifecycle ${lifecycleVersion}`);
    const context = (0,external_node_fs_namespaceObject.mkdtempSync)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "ml-buildpacks-builder-"));
    try {
        const dockerfile = writeContext(context, req.lifecycleDir, buildpacks, { ...config, buildImage: buildImageRef }, order, req.cliDir);
        const stageTag = `ml-buildpacks-builder-stage:${process.pid}`;
        await log.group("Assembling builder layers", () => docker.must("build the builder image", [
            "build",
            "--network",
            "host",
            "--platform",
            req.platform,
            "-q",
            "-t",
            stageTag,
            "-f",
            dockerfile,
            context,
        ], {
            env: { DOCKER_BUILDKIT: "1" },
        }));
        const staged = await docker.inspectImage(stageTag);
        if (!staged)
            throw new MlBuildpacksError(messages.dockerFailed("find the image it just built", stageTag));
        // One COPY layer per buildpack, right after the build image's own layers.
        const base = buildImage.RootFS.Layers.length;
        const layerDiffIds = buildpacks.map((_, i) => staged.RootFS.Layers[base + i] ?? "");
        const labels = builderLabels({
            config,
            order,
            buildpacks,
            layerDiffIds,
            lifecycleVersion,
            apis,
            createdBy: { name: "ml-buildpacks", version: ML_BUILDPACKS_VERSION },
        });
        const labelFile = (0,external_node_path_namespaceObject.join)(context, "Dockerfile.labels");
        (0,external_node_fs_namespaceObject.writeFileSync)(labelFile, `FROM ${stageTag}\n`);
        await log.group("Writing builder labels", () => docker.must("label the builder image", [
            "build",
            "--network",
            "host",
            "--platform",
            req.platform,
            "-q",
            "-t",
            req.image,
            "-f",
            labelFile,
            ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
            context,
        ], { env: { DOCKER_BUILDKIT: "1" } }));
        await docker.exec(["image", "rm", stageTag]);
        let digest;
        if (req.publish) {
            await log.group(`Pushing ${req.image}`, () => docker.must(`push ${req.image}`, ["push", req.image], { onLine: (l) => log.output(l) }));
        }
        const final = await docker.inspectImage(req.image);
        if (!final)
            throw new MlBuildpacksError(messages.dockerFailed("find the builder it just built", req.image));
        if (req.publish) {
            const repo = req.image.replace(/(:[\w][\w.-]*)?$/, "");
            digest = (final.RepoDigests ?? []).find((d) => d.startsWith(`${repo}@`))?.split("@")[1];
        }
        const result = {
            image: req.image,
            imageId: final.Id,
            digest,
            buildpacks: buildpacks.map((b) => `${b.id}@${b.version}`),
            sizeBytes: final.Size,
        };
        log.info(`Builder ${req.image}${digest ? `@${digest}` : ""}: ${result.buildpacks.join(", ")}; ${order.length} order group(s); ${formatBytes(final.Size)}`);
        return result;
    }
    finally {
        (0,external_node_fs_namespaceObject.rmSync)(context, { recursive: true, force: true });
    }
}
/** Lays out the docker build context and returns the Dockerfile path (exported for tests). */
function writeContext(context, lifecycleDir, buildpacks, config, order, cliDir) {
    const lines = [`FROM ${config.buildImage}`];
    buildpacks.forEach((bp, i) => {
        const dest = (0,external_node_path_namespaceObject.join)(context, `bp${i}`);
        (0,external_node_fs_namespaceObject.mkdirSync)(dest);
        (0,external_node_fs_namespaceObject.cpSync)((0,external_node_path_namespaceObject.join)(bp.dir, "buildpack.toml"), (0,external_node_path_namespaceObject.join)(dest, "buildpack.toml"));
        (0,external_node_fs_namespaceObject.cpSync)((0,external_node_path_namespaceObject.join)(bp.dir, "bin"), (0,external_node_path_namespaceObject.join)(dest, "bin"), { recursive: true });
        for (const f of ["detect", "build"])
            (0,external_node_fs_namespaceObject.chmodSync)((0,external_node_path_namespaceObject.join)(dest, "bin", f), 0o755);
        lines.push(`COPY bp${i} ${buildpackPath(bp)}`);
    });
    const lc = (0,external_node_path_namespaceObject.join)(context, "lifecycle");
    (0,external_node_fs_namespaceObject.mkdirSync)(lc);
    for (const bin of ["lifecycle", "launcher"]) {
        (0,external_node_fs_namespaceObject.cpSync)((0,external_node_path_namespaceObject.join)(lifecycleDir, bin), (0,external_node_path_namespaceObject.join)(lc, bin));
        (0,external_node_fs_namespaceObject.chmodSync)((0,external_node_path_namespaceObject.join)(lc, bin), 0o755);
        writeBinarySboms(lc, bin);
    }
    for (const link of PHASE_LINKS)
        (0,external_node_fs_namespaceObject.symlinkSync)("lifecycle", (0,external_node_path_namespaceObject.join)(lc, link));
    lines.push("COPY lifecycle /cnb/lifecycle");
    const runImages = config.runImages.map((r) => ({ image: r.image, mirrors: r.mirrors }));
    (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(context, "order.toml"), stringifyToml({ order }));
    (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(context, "run.toml"), stringifyToml({ images: runImages }));
    // stack.toml serves platforms older than Platform API 0.12 (and pack's rebase).
    (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(context, "stack.toml"), stringifyToml({ "run-image": runImages[0] ?? {} }));
    lines.push("COPY order.toml run.toml stack.toml /cnb/");
    if (cliDir) {
        for (const f of ["index.js", "package.json"])
            if (!(0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(cliDir, f)))
                throw new MlBuildpacksError(messages.cliBundleNotFound(cliDir, f));
        (0,external_node_fs_namespaceObject.mkdirSync)((0,external_node_path_namespaceObject.join)(context, "cli"));
        for (const f of ["index.js", "package.json"])
            (0,external_node_fs_namespaceObject.cpSync)((0,external_node_path_namespaceObject.join)(cliDir, f), (0,external_node_path_namespaceObject.join)(context, "cli", f));
        // Pre-export beside it, where preExportDir finds it inside a builder: jobs that build in the
        // builder (GitLab, Tekton) then record their inputs in the exporter's image too.
        const preExport = (0,external_node_path_namespaceObject.join)(cliDir, "..", "pre-export");
        if ((0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(preExport, PRE_EXPORT_ENTRY)))
            (0,external_node_fs_namespaceObject.cpSync)(preExport, (0,external_node_path_namespaceObject.join)(context, "cli", "pre-export"), { recursive: true });
        // cosign, when the lifecycle dir has one for this platform (scripts/cosign.sh, sha256-pinned):
        // builds sign with it wherever they run (core/sign).
        if ((0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(lifecycleDir, "cosign"))) {
            (0,external_node_fs_namespaceObject.cpSync)((0,external_node_path_namespaceObject.join)(lifecycleDir, "cosign"), (0,external_node_path_namespaceObject.join)(context, "cli", "cosign"));
            (0,external_node_fs_namespaceObject.chmodSync)((0,external_node_path_namespaceObject.join)(context, "cli", "cosign"), 0o755);
        }
        (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(context, "ml-buildpacks"), `#!/bin/sh\nexec node ${BUILDER_CLI_DIR}/index.js "$@"\n`, {
            mode: 0o755,
        });
        (0,external_node_fs_namespaceObject.chmodSync)((0,external_node_path_namespaceObject.join)(context, "ml-buildpacks"), 0o755);
        // Two small layers after the buildpacks' (whose positions the labels record).
        lines.push(`COPY cli ${BUILDER_CLI_DIR}`, `COPY ml-buildpacks ${BUILDER_CLI_WRAPPER}`);
    }
    const dockerfile = (0,external_node_path_namespaceObject.join)(context, "Dockerfile");
    (0,external_node_fs_namespaceObject.writeFileSync)(dockerfile, `${lines.join("\n")}\n`);
    return dockerfile;
}
/**
 * Beside a lifecycle binary, its SBOMs (<bin>.sbom.<ext>) from its Go build info, for the exporter
 * to put in every image. A binary without build info gets none: the exporter then warns, as it
 * would for any lifecycle without them, and the builder is still made.
 */
function writeBinarySboms(lc, bin) {
    const info = readGoBuildInfo((0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(lc, bin)));
    if (!info)
        return;
    const tool = { name: "ml-buildpacks", version: ML_BUILDPACKS_VERSION };
    for (const [name, text] of Object.entries(binarySbomFiles(bin, `/cnb/lifecycle/${bin}`, info, tool)))
        (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(lc, name), text);
}
async function readLifecycleVersion(dir, declared, run) {
    const binary = (0,external_node_path_namespaceObject.join)(dir, "lifecycle");
    if (!(0,external_node_fs_namespaceObject.existsSync)(binary) || !(0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(dir, "launcher")))
        throw new MlBuildpacksError(messages.lifecycleNotFound(dir));
    const result = await run(binary, ["-version"]).catch(() => undefined);
    const reported = result?.exitCode === 0 ? result.stdout.trim() : "";
    // Built without ldflags the lifecycle says 0.0.0: fall back to what builder.toml declares.
    const version = reported && reported !== "0.0.0" ? reported : (declared ?? DEFAULT_LIFECYCLE_VERSION);
    return version;
}

;// CONCATENATED MODULE: ./src/core/cache/lock.ts
// One build at a time per cache dir. The lifecycle's volume cache is not safe to share: each
// restorer and exporter deletes staging/ when it starts and the exporter swaps committed/ at the
// end, so two builds on one dir (two CLI runs, two jobs of a self-hosted runner with the same
// scope) could commit each other's half-written layers. A second build waits for the first.




/**
 * Beside the cache dir (DIR.lock), so no CI cache archive of DIR ever carries a lock to another
 * machine; inside it (DIR/.ml-buildpacks.lock) only when DIR's parent is not writable.
 */
const LOCK_FILE = ".ml-buildpacks.lock";
/** Where the lock of `dir` is tried first. */
function lockPathOf(dir) {
    return `${dir.replace(/\/+$/, "")}.lock`;
}
const UNWRITABLE = new Set(["EACCES", "EPERM", "EROFS"]);
/** Pure: whether a lock can be taken over: its build ran on this host and is gone. */
function isStale(holder, host, isAlive) {
    if (!holder)
        return true;
    return holder.host === host && !isAlive(holder.pid);
}
function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === "EPERM";
    }
}
function readHolder(path) {
    try {
        const doc = JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(path, "utf8"));
        return typeof doc.pid === "number" && typeof doc.host === "string" ? doc : undefined;
    }
    catch {
        return undefined;
    }
}
/** Takes the cache dir's lock, waiting for another build that holds it; returns the release function. */
async function lockCacheDir(dir, deps) {
    let path = lockPathOf(dir);
    const isAlive = deps.isAlive ?? alive;
    const sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const now = deps.now ?? Date.now;
    const me = {
        pid: deps.pid ?? process.pid,
        host: deps.host ?? (0,external_node_os_namespaceObject.hostname)(),
        since: new Date(now()).toISOString(),
    };
    const mine = JSON.stringify(me);
    const deadline = now() + (deps.waitMs ?? 30 * 60_000);
    let told = false;
    for (;;) {
        try {
            (0,external_node_fs_namespaceObject.writeFileSync)(path, mine, { flag: "wx" });
            return () => {
                // Only our own lock: one taken over as stale belongs to another build now.
                const current = readHolder(path);
                if (current && JSON.stringify(current) === mine)
                    (0,external_node_fs_namespaceObject.rmSync)(path, { force: true });
            };
        }
        catch (err) {
            const code = err.code ?? "";
            if (UNWRITABLE.has(code) && path === lockPathOf(dir)) {
                path = (0,external_node_path_namespaceObject.join)(dir, LOCK_FILE);
                continue;
            }
            if (code !== "EEXIST")
                throw err;
        }
        const holder = readHolder(path);
        // A lock file being written reads as empty for an instant: only a complete one is judged.
        if (holder && isStale(holder, me.host, isAlive)) {
            deps.log.info(`the layer cache in ${dir} was locked by build ${holder.pid}, which is gone: taking it over`);
            (0,external_node_fs_namespaceObject.rmSync)(path, { force: true });
            continue;
        }
        if (now() >= deadline)
            throw new MlBuildpacksError({
                title: `the layer cache in ${dir} is in use by another build${holder ? ` (process ${holder.pid} on ${holder.host} since ${holder.since})` : ""}`,
                hint: `wait for that build, give this build its own cache dir (--cache-dir, or another cache scope), or delete ${path} if no build is running`,
            });
        if (!told) {
            deps.log.info(`waiting for another build using the layer cache in ${dir}${holder ? ` (process ${holder.pid} on ${holder.host})` : ""}`);
            told = true;
        }
        await sleep(1000);
    }
}

;// CONCATENATED MODULE: ./src/core/cache/verify.ts
// Checks the lifecycle's cache dir before a build and drops what is damaged (a truncated Actions
// cache archive, a disk that filled up, a bit flip). The lifecycle alone would warn "Skipping
// restore" for a layer whose tar does not hash to its name but still restore the layer's metadata,
// so a buildpack that trusts its metadata would reuse an empty layer. Dropping the tar AND its
// metadata entry makes the buildpack rebuild that layer; the rest of the cache is kept.



/** The lifecycle's cache metadata file in committed/ (cache.MetadataLabel). */
const CACHE_METADATA = "io.buildpacks.lifecycle.cache.metadata";
/**
 * Pure: the metadata without the layers (and SBOM) whose tar is not sound, and which were dropped.
 * `sound` holds the digests of the tars that hash to their names.
 */
function pruneMetadata(metadata, sound) {
    const dropped = [];
    const buildpacks = (metadata.buildpacks ?? []).map((bp) => {
        const layers = {};
        for (const [name, layer] of Object.entries(bp.layers ?? {})) {
            if (layer.sha && !sound.has(layer.sha))
                dropped.push({ layer: `${bp.key}:${name}`, sha: layer.sha });
            else
                layers[name] = layer;
        }
        return { ...bp, layers };
    });
    const sbomSha = metadata.sbom?.sha;
    const sbom = sbomSha && !sound.has(sbomSha) ? { ...metadata.sbom, sha: "" } : metadata.sbom;
    if (sbomSha && !sound.has(sbomSha))
        dropped.push({ layer: "SBOM", sha: sbomSha });
    return { metadata: { ...metadata, ...(sbom ? { sbom } : {}), buildpacks }, dropped };
}
/** Pure: one warning line per problem, saying what happens next. */
function describeCacheProblem(dir, p) {
    switch (p.kind) {
        case "restored-backup":
            return `the layer cache in ${dir} was left mid-commit by an interrupted build: its previous contents (committed-backup/) are used`;
        case "unreadable-metadata":
            return `the layer cache in ${dir} has unreadable metadata (${p.why}): it is emptied and every cached layer is rebuilt`;
        case "damaged-layer":
            return `the cached layer ${p.layer} in ${dir} is damaged (truncated or corrupted: its contents hash to ${p.found}, not ${p.expected}): it is dropped and rebuilt`;
        case "missing-layer":
            return `the cached layer ${p.layer} in ${dir} is missing its data (${p.expected}.tar): it is dropped and rebuilt`;
    }
}
/**
 * The stamp: the layer tars of committed/ as the last build on this machine left them (written by the
 * lifecycle, their names are their digests). A tar with the same inode, size and mtime at the next
 * build is not hashed again; a cache restored from a CI backend (new files) or changed since is. It
 * lives beside the dir, like the lock, so a cache archive never carries it.
 */
function stampPathOf(dir) {
    return `${dir.replace(/\/+$/, "")}.sound.json`;
}
function fileIdentity(path) {
    try {
        const st = (0,external_node_fs_namespaceObject.statSync)(path);
        return `${st.ino}:${st.size}:${st.mtimeMs}`;
    }
    catch {
        return undefined;
    }
}
function readStamp(dir) {
    try {
        const parsed = JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(stampPathOf(dir), "utf8"));
        if (typeof parsed !== "object" || parsed === null)
            return new Map();
        return new Map(Object.entries(parsed).filter((e) => typeof e[1] === "string"));
    }
    catch {
        return new Map();
    }
}
/** After a build: stamps committed/'s tars as sound (best effort: no stamp only means hashing next time). */
function stampCacheDir(dir) {
    const committed = (0,external_node_path_namespaceObject.join)(dir, "committed");
    try {
        const stamp = {};
        for (const entry of (0,external_node_fs_namespaceObject.readdirSync)(committed)) {
            const id = entry.endsWith(".tar") ? fileIdentity((0,external_node_path_namespaceObject.join)(committed, entry)) : undefined;
            if (id)
                stamp[entry] = id;
        }
        (0,external_node_fs_namespaceObject.writeFileSync)(stampPathOf(dir), JSON.stringify(stamp));
    }
    catch {
        (0,external_node_fs_namespaceObject.rmSync)(stampPathOf(dir), { force: true });
    }
}
async function sha256File(path) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)("sha256");
    for await (const chunk of (0,external_node_fs_namespaceObject.createReadStream)(path))
        hash.update(chunk);
    return `sha256:${hash.digest("hex")}`;
}
/**
 * Repairs `dir` (the lifecycle cache dir: committed/, staging/, committed-backup/) in place and
 * returns what it found. Every tar in committed/ is hashed (the lifecycle hashes them again on
 * restore); a damaged one is deleted with its metadata entry.
 */
async function repairCacheDir(dir) {
    const problems = [];
    const committed = (0,external_node_path_namespaceObject.join)(dir, "committed");
    const backup = (0,external_node_path_namespaceObject.join)(dir, "committed-backup");
    // The lifecycle's commit renames committed/ to committed-backup/, then staging/ to committed/:
    // killed in between, the next lifecycle would delete the backup and start empty.
    if (!(0,external_node_fs_namespaceObject.existsSync)(committed) && (0,external_node_fs_namespaceObject.existsSync)(backup)) {
        (0,external_node_fs_namespaceObject.renameSync)(backup, committed);
        problems.push({ kind: "restored-backup" });
    }
    if (!(0,external_node_fs_namespaceObject.existsSync)(committed))
        return problems;
    const metaPath = (0,external_node_path_namespaceObject.join)(committed, CACHE_METADATA);
    let metadata = {};
    if ((0,external_node_fs_namespaceObject.existsSync)(metaPath)) {
        try {
            const parsed = JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(metaPath, "utf8"));
            if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
                throw new Error("not a JSON object");
            metadata = parsed;
        }
        catch (err) {
            problems.push({ kind: "unreadable-metadata", why: err instanceof Error ? err.message : String(err) });
            for (const entry of (0,external_node_fs_namespaceObject.readdirSync)(committed))
                (0,external_node_fs_namespaceObject.rmSync)((0,external_node_path_namespaceObject.join)(committed, entry), { recursive: true, force: true });
            return problems;
        }
    }
    const sound = new Set();
    const found = new Map();
    const stamped = readStamp(dir);
    for (const entry of (0,external_node_fs_namespaceObject.readdirSync)(committed)) {
        if (!entry.endsWith(".tar"))
            continue;
        const expected = entry.slice(0, -".tar".length);
        const path = (0,external_node_path_namespaceObject.join)(committed, entry);
        if (stamped.get(entry) === fileIdentity(path)) {
            sound.add(expected);
            continue;
        }
        const actual = await sha256File(path).catch((err) => `unreadable (${String(err)})`);
        if (actual === expected)
            sound.add(expected);
        else {
            found.set(expected, actual);
            (0,external_node_fs_namespaceObject.rmSync)(path, { force: true });
        }
    }
    const pruned = pruneMetadata(metadata, sound);
    for (const { layer, sha } of pruned.dropped) {
        const actual = found.get(sha);
        problems.push(actual
            ? { kind: "damaged-layer", layer, expected: sha, found: actual }
            : { kind: "missing-layer", layer, expected: sha });
    }
    if (pruned.dropped.length > 0)
        (0,external_node_fs_namespaceObject.writeFileSync)(metaPath, JSON.stringify(pruned.metadata));
    return problems;
}

;// CONCATENATED MODULE: ./src/core/executor/cache-guard.ts
// What both executors share about a build's safety: the cache dir's lock (cache/lock.ts) and repair
// (cache/verify.ts) before the first phase, and the error of a cancelled build.





/**
 * Locks `dir`, then empties (`clear`) or repairs it; returns the release function (cleanup() calls
 * it), which first stamps what the lifecycle left there, so the next build hashes only what changed.
 */
async function guardCacheDir(dir, log, clear = false) {
    const unlock = await lockCacheDir(dir, { log });
    const release = () => {
        stampCacheDir(dir);
        unlock();
    };
    try {
        if (clear) {
            for (const entry of (0,external_node_fs_namespaceObject.readdirSync)(dir))
                if (entry !== LOCK_FILE)
                    (0,external_node_fs_namespaceObject.rmSync)((0,external_node_path_namespaceObject.join)(dir, entry), { recursive: true, force: true });
            log.info(`cleared the layer cache in ${dir}`);
            return release;
        }
        for (const problem of await repairCacheDir(dir))
            log.warn(describeCacheProblem(dir, problem));
    }
    catch (err) {
        unlock();
        throw err;
    }
    return release;
}
/** The phase that was running when the build was cancelled; the exit code a shell gives a signal. */
function cancelledError(signal, phase) {
    return new MlBuildpacksError({
        title: `the build was cancelled (${signal}) during the ${phase} phase`,
        hint: "no tag was moved by this build and its layer cache holds what the last finished build committed: run it again",
        exitCode: 128 + (signal === "SIGINT" ? 2 : 15),
    });
}

;// CONCATENATED MODULE: ./src/core/executor/docker.ts











/** dist/pre-export beside the running bundle (dist/cli, dist/main), or inside it in a builder: see src/pre-export. */
function preExportDir(moduleUrl) {
    const here = (0,external_node_path_namespaceObject.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(moduleUrl));
    // Inside a builder the CLI carries it in its own folder (/cnb/ml-buildpacks/pre-export).
    const inside = (0,external_node_path_namespaceObject.join)(here, "pre-export");
    return (0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(inside, PRE_EXPORT_ENTRY)) ? inside : (0,external_node_path_namespaceObject.join)(here, "..", "pre-export");
}
/** Debian's system CA bundle, which pip, curl, git and Node.js read in the build image. */
const docker_SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
/** The daemon's socket on this host, for phases that export to it (DOCKER_HOST=unix://... or the default). */
function dockerSocketPath(env) {
    const host = env.DOCKER_HOST;
    return host?.startsWith("unix://") ? host.slice("unix://".length) : "/var/run/docker.sock";
}
/** Pure: the `docker run` argv for one phase. */
function phaseDockerArgs(spec, o) {
    const user = spec.runAs === "root" ? "0:0" : `${o.uid}:${o.gid}`;
    const platformDir = (runsBuildpacks(spec) && o.secretsPlatformDir) || o.platformDir;
    return [
        "run",
        "--rm",
        "--name",
        o.name,
        "--network",
        "host",
        "--platform",
        o.platform,
        "--user",
        user,
        ...(o.memoryLimit ? ["--memory", o.memoryLimit, "--memory-swap", o.memoryLimit] : []),
        "-v",
        `${o.layersVolume}:${CONTAINER_PATHS.layers}`,
        "-v",
        `${o.workspaceVolume}:${CONTAINER_PATHS.app}`,
        "-v",
        `${platformDir}:${CONTAINER_PATHS.platform}:ro`,
        "-v",
        `${o.outDir}:${CONTAINER_PATHS.out}`,
        ...(o.cacheDir ? ["-v", `${o.cacheDir}:${CONTAINER_PATHS.cache}`] : []),
        ...(o.caCerts ? ["-v", `${o.caCerts}:${docker_SYSTEM_CA_BUNDLE}:ro`] : []),
        ...(spec.daemon ? ["-v", `${o.dockerSocket}:/var/run/docker.sock`] : []),
        ...(o.prelude ? ["-v", `${o.prelude.appDir}:/app-source:ro`] : []),
        ...(spec.preExport && o.preExportDir ? ["-v", `${o.preExportDir}:${PRE_EXPORT_MOUNT}:ro`] : []),
        "-e",
        `CNB_PLATFORM_API=${o.platformApi}`,
        ...(spec.registry ? o.secretEnvNames.flatMap((n) => ["-e", n]) : []),
        ...(o.prelude
            ? ["--entrypoint", "sh", o.builderRef, "-c", `${o.prelude.script}\nexec "$0" "$@"`, spec.binary]
            : ["--entrypoint", spec.binary, o.builderRef]),
        ...spec.args,
    ];
}
/**
 * Pure: copies the app as the workspace contract says (workspace.ts) into the workspace and hands
 * every writable path to the CNB user.
 */
function workspaceCopyScript(o) {
    const excludes = excludedInside(o.source);
    return [
        "set -e",
        `cd /app-source && tar ${excludes.map((e) => `--exclude='${e}'`).join(" ")} -cf - . | tar -C ${CONTAINER_PATHS.app} -xf -`,
        `chown -R ${o.owner} ${CONTAINER_PATHS.app} ${CONTAINER_PATHS.layers}${o.cached ? ` ${CONTAINER_PATHS.cache}` : ""}`,
        `chmod 0777 ${CONTAINER_PATHS.out}`,
    ].join("\n");
}
/** <dir>/env/NAME for each variable: the CNB platform env. */
function writePlatformDir(dir, env) {
    (0,external_node_fs_namespaceObject.mkdirSync)((0,external_node_path_namespaceObject.join)(dir, "env"), { recursive: true });
    for (const [name, value] of Object.entries(env))
        (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(dir, "env", name), value);
}
/** Each phase in its own container from the builder image, sharing volumes, as pack does without the creator. */
class DockerExecutor {
    o;
    id = (0,external_node_crypto_namespaceObject.randomBytes)(6).toString("hex");
    layersVolume = `ml-buildpacks-layers-${this.id}`;
    workspaceVolume = `ml-buildpacks-workspace-${this.id}`;
    scratch = (0,external_node_fs_namespaceObject.mkdtempSync)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "ml-buildpacks-build-"));
    platformDir = (0,external_node_path_namespaceObject.join)(this.scratch, "platform");
    /** Only made when there are secrets (writePlatformDir): the scratch dir is the host user's alone. */
    secretsPlatformDir = (0,external_node_path_namespaceObject.join)(this.scratch, "platform-secrets");
    hasSecrets;
    outDir = (0,external_node_path_namespaceObject.join)(this.scratch, "out");
    cacheDir;
    constructor(o) {
        this.o = o;
        this.cacheDir = o.cacheDir ? (0,external_node_path_namespaceObject.resolve)(o.cacheDir) : undefined;
        this.hasSecrets = Object.keys(o.buildSecrets ?? {}).length > 0;
        this.preExport =
            o.preExportDir && (0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(o.preExportDir, PRE_EXPORT_ENTRY))
                ? {
                    entry: `${PRE_EXPORT_MOUNT}/${PRE_EXPORT_ENTRY}`,
                    chain: true,
                    // Every phase container, pre-export's too, has the bundle mounted here (phaseDockerArgs).
                    ...(o.caCerts ? { caCerts: docker_SYSTEM_CA_BUNDLE } : {}),
                }
                : undefined;
    }
    preExport;
    /** The workspace copy, run by the first phase's container (see phaseDockerArgs' prelude). */
    copyScript;
    /** The phase container running now, stopped when the build is cancelled. */
    running;
    cancelled;
    releaseCache;
    unhookCancel;
    async prepare() {
        const { docker, builder } = this.o;
        // From here until cleanup(), SIGINT/SIGTERM stop the phase container instead of leaving it running.
        this.unhookCancel = onCancel((signal) => this.cancel(signal));
        writePlatformDir(this.platformDir, this.o.buildEnv);
        if (this.hasSecrets)
            writePlatformDir(this.secretsPlatformDir, { ...this.o.buildEnv, ...this.o.buildSecrets });
        (0,external_node_fs_namespaceObject.mkdirSync)(this.outDir, { mode: 0o777 });
        if (this.cacheDir) {
            (0,external_node_fs_namespaceObject.mkdirSync)(this.cacheDir, { recursive: true });
            this.releaseCache = await guardCacheDir(this.cacheDir, this.o.log ?? { info() { }, warn() { } }, this.o.clearCache);
        }
        await docker.createVolume(this.layersVolume);
        await docker.createVolume(this.workspaceVolume);
        this.copyScript = workspaceCopyScript({
            source: workspaceSource(this.o.appDir, this.cacheDir, [this.o.sbomOutputDir]),
            cached: this.cacheDir !== undefined,
            owner: `${builder.uid}:${builder.gid}`,
        });
    }
    async runPhase(spec, onLine) {
        if (this.cancelled)
            throw cancelledError(this.cancelled, spec.phase);
        const script = this.copyScript;
        // Only a root phase can copy and chown; the first phase (analyzer or creator) always is one.
        if (script && spec.runAs !== "root")
            throw new Error(`the first phase (${spec.phase}) must run as root`);
        this.copyScript = undefined;
        // The host's HTTPS_PROXY/NO_PROXY reach the registry phases as the credentials do: by name.
        const registryEnv = { ...proxyEnv(process.env), ...this.o.secretEnv };
        const args = phaseDockerArgs(spec, {
            builderRef: this.o.builder.ref,
            platform: this.o.builder.platform,
            uid: this.o.builder.uid,
            gid: this.o.builder.gid,
            layersVolume: this.layersVolume,
            workspaceVolume: this.workspaceVolume,
            platformDir: this.platformDir,
            secretsPlatformDir: this.hasSecrets ? this.secretsPlatformDir : undefined,
            outDir: this.outDir,
            cacheDir: this.cacheDir,
            caCerts: this.o.caCerts ? (0,external_node_path_namespaceObject.resolve)(this.o.caCerts) : undefined,
            dockerSocket: dockerSocketPath(process.env),
            platformApi: this.o.platformApi,
            secretEnvNames: Object.keys(registryEnv),
            name: `ml-buildpacks-${spec.phase}-${this.id}`,
            prelude: script ? { appDir: (0,external_node_path_namespaceObject.resolve)(this.o.appDir), script } : undefined,
            memoryLimit: this.o.memoryLimit,
            preExportDir: this.o.preExportDir,
        });
        this.running = `ml-buildpacks-${spec.phase}-${this.id}`;
        try {
            const result = await this.o.docker.exec(args, { env: registryEnv, onLine: (line) => onLine(line) });
            // Stopped by cancel(): that, not the container's exit code, is what happened.
            if (this.cancelled)
                throw cancelledError(this.cancelled, spec.phase);
            return result.exitCode;
        }
        finally {
            this.running = undefined;
        }
    }
    /** The build is cancelled: no phase starts any more, the running one is stopped, the rest cleaned up. */
    async cancel(signal) {
        this.cancelled = signal;
        if (this.running)
            await this.o.docker.removeContainer(this.running);
        await this.cleanup();
    }
    readOutput(name) {
        const file = (0,external_node_path_namespaceObject.join)(this.outDir, name);
        return (0,external_node_fs_namespaceObject.existsSync)(file) ? (0,external_node_fs_namespaceObject.readFileSync)(file, "utf8") : undefined;
    }
    async cleanup() {
        await this.o.docker.removeVolumes([this.layersVolume, this.workspaceVolume]);
        (0,external_node_fs_namespaceObject.rmSync)(this.scratch, { recursive: true, force: true });
        this.releaseCache?.();
        this.releaseCache = undefined;
        this.unhookCancel?.();
        this.unhookCancel = undefined;
    }
}

;// CONCATENATED MODULE: ./src/core/executor/local.ts












/** The lifecycle inside a builder image; its presence means "we run inside the builder". */
const LOCAL_LIFECYCLE = "/cnb/lifecycle/lifecycle";
/** Variables never handed to a phase that does not need them. */
const SECRET_NAMES = ["CNB_REGISTRY_AUTH"];
/** Debian's system CA bundle, which the build image's tools read. */
const local_SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
function writable(dir) {
    try {
        (0,external_node_fs_namespaceObject.accessSync)(dir, external_node_fs_namespaceObject.constants.W_OK);
        return (0,external_node_fs_namespaceObject.statSync)(dir).isDirectory();
    }
    catch {
        return false;
    }
}
/** /layers and /workspace of the builder image when this process may write them, else fixed dirs under tmp. */
function defaultLocalDirs(canWrite = writable) {
    const fallback = (0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "ml-buildpacks-local");
    return {
        layers: canWrite(CONTAINER_PATHS.layers) ? CONTAINER_PATHS.layers : (0,external_node_path_namespaceObject.join)(fallback, "layers"),
        app: canWrite(CONTAINER_PATHS.app) ? CONTAINER_PATHS.app : (0,external_node_path_namespaceObject.join)(fallback, "workspace"),
    };
}
function emptyDir(dir) {
    (0,external_node_fs_namespaceObject.mkdirSync)(dir, { recursive: true });
    for (const entry of (0,external_node_fs_namespaceObject.readdirSync)(dir))
        (0,external_node_fs_namespaceObject.rmSync)((0,external_node_path_namespaceObject.join)(dir, entry), { recursive: true, force: true });
}
/** Home directory of a uid from /etc/passwd (buildpacks running as the CNB user need a writable HOME). */
function homeOf(uid, passwd) {
    for (const line of passwd.split("\n")) {
        const fields = line.split(":");
        if (fields[2] === String(uid) && fields[5])
            return fields[5];
    }
    return undefined;
}
/**
 * Runs /cnb/lifecycle/<phase> directly, for when this process runs inside the builder image
 * (a GitLab job whose image is the builder, a Tekton step). No Docker involved.
 * As root: analyzer, restorer and exporter run as root (they drop to the CNB user themselves),
 * detector and builder as CNB_USER_ID/CNB_GROUP_ID. As any other user: every phase runs as that user.
 */
class LocalExecutor {
    o;
    paths;
    scratch;
    isRoot;
    env;
    constructor(o) {
        this.o = o;
        const dirs = o.layersDir && o.workspaceDir ? undefined : defaultLocalDirs();
        this.scratch = (0,external_node_fs_namespaceObject.mkdtempSync)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "ml-buildpacks-local-"));
        this.paths = {
            layers: (0,external_node_path_namespaceObject.resolve)(o.layersDir ?? dirs?.layers ?? CONTAINER_PATHS.layers),
            app: (0,external_node_path_namespaceObject.resolve)(o.workspaceDir ?? dirs?.app ?? CONTAINER_PATHS.app),
            platform: (0,external_node_path_namespaceObject.join)(this.scratch, "platform"),
            out: (0,external_node_path_namespaceObject.join)(this.scratch, "out"),
            // Without a cache dir the phases get no -cache-dir flag; the path is then unused.
            cache: o.cacheDir ? (0,external_node_path_namespaceObject.resolve)(o.cacheDir) : (0,external_node_path_namespaceObject.join)(this.scratch, "no-cache"),
        };
        this.isRoot = (o.currentUid ?? process.getuid?.() ?? 0) === 0;
        this.env = o.env ?? process.env;
        const entry = o.preExportDir && (0,external_node_path_namespaceObject.join)(o.preExportDir, PRE_EXPORT_ENTRY);
        this.preExport =
            entry && (0,external_node_fs_namespaceObject.existsSync)(entry)
                ? { entry, chain: false, ...(o.caCerts ? { caCerts: (0,external_node_path_namespaceObject.resolve)(o.caCerts) } : {}) }
                : undefined;
    }
    preExport;
    /** Aborted when the build is cancelled: the running phase gets SIGTERM, no other phase starts. */
    cancelled = new AbortController();
    cancelSignal = "SIGTERM";
    releaseCache;
    unhookCancel;
    async prepare() {
        const { log, uid, gid } = this.o;
        const p = this.paths;
        this.unhookCancel = onCancel(async (signal) => {
            this.cancelSignal = signal;
            this.cancelled.abort();
            await this.cleanup();
        });
        emptyDir(p.layers);
        emptyDir(p.app);
        const ws = workspaceSource(this.o.appDir, this.o.cacheDir ? p.cache : undefined, [this.o.sbomOutputDir]);
        for (const entry of (0,external_node_fs_namespaceObject.readdirSync)(ws.appDir)) {
            if (isExcluded(ws, (0,external_node_path_namespaceObject.join)(ws.appDir, entry)))
                continue;
            (0,external_node_fs_namespaceObject.cpSync)((0,external_node_path_namespaceObject.join)(ws.appDir, entry), (0,external_node_path_namespaceObject.join)(p.app, entry), {
                recursive: true,
                verbatimSymlinks: true,
                filter: (from) => !isExcluded(ws, from),
            });
        }
        (0,external_node_fs_namespaceObject.mkdirSync)((0,external_node_path_namespaceObject.join)(p.platform, "env"), { recursive: true });
        for (const [name, value] of Object.entries(this.caEnv())) {
            if (!(name in this.o.buildEnv))
                (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(p.platform, "env", name), value);
        }
        for (const [name, value] of Object.entries(this.o.buildEnv))
            (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(p.platform, "env", name), value);
        // Beside the env (the phases that read -platform are the ones that run buildpacks), readable by
        // the CNB user alone, and gone once the builder phase ends (runPhase).
        for (const [name, value] of Object.entries(this.o.buildSecrets ?? {}))
            (0,external_node_fs_namespaceObject.writeFileSync)((0,external_node_path_namespaceObject.join)(p.platform, "env", name), value, { mode: 0o600 });
        (0,external_node_fs_namespaceObject.mkdirSync)(p.out, { recursive: true });
        if (this.o.cacheDir) {
            (0,external_node_fs_namespaceObject.mkdirSync)(p.cache, { recursive: true });
            this.releaseCache = await guardCacheDir(p.cache, log, this.o.clearCache);
        }
        const current = this.o.currentUid ?? process.getuid?.() ?? 0;
        if (this.isRoot) {
            // Hand every writable path to the CNB user, as the docker executor's prepare container does.
            const owned = [p.layers, p.app, p.out, ...(this.o.cacheDir ? [p.cache] : []), ...this.secretFiles()];
            const chown = await this.o.run("chown", ["-R", `${uid}:${gid}`, ...owned]);
            if (chown.exitCode !== 0)
                throw new MlBuildpacksError({
                    title: `could not hand the build dirs to the CNB user ${uid}:${gid}`,
                    detail: chown.stderr || `chown exited with code ${chown.exitCode}`,
                    hint: "run the job as root or as the builder's CNB user, with a writable cache dir",
                    exitCode: 1,
                });
            await this.o.run("chmod", ["0755", this.scratch, p.platform, (0,external_node_path_namespaceObject.join)(p.platform, "env")]);
            log.info(`local executor: phases run as root, detect and build as the CNB user ${uid}:${gid}`);
        }
        else {
            log.info(`local executor: running as uid ${current}, not root: every phase runs as this user` +
                (current === uid ? "" : ` (the builder's CNB user is ${uid}:${gid})`) +
                "; root-only features (export to a Docker daemon, fixing file ownership) are unavailable");
        }
    }
    secretFiles() {
        return Object.keys(this.o.buildSecrets ?? {}).map((name) => (0,external_node_path_namespaceObject.join)(this.paths.platform, "env", name));
    }
    /** The CA bundle for the phases' own TLS (registries) and for the buildpacks (via the platform env). */
    caEnv() {
        if (!this.o.caCerts)
            return {};
        const file = (0,external_node_path_namespaceObject.resolve)(this.o.caCerts);
        if (file === local_SYSTEM_CA_BUNDLE)
            return {};
        return { SSL_CERT_FILE: file, PIP_CERT: file, REQUESTS_CA_BUNDLE: file };
    }
    /** Pure given the options: the environment one phase starts with. */
    phaseEnv(spec) {
        const env = {};
        // A build secret's source (a CI variable of the job) reaches the buildpacks through the platform
        // env of detect and build only, not through every phase's environment.
        const secretValues = new Set(Object.values(this.o.buildSecrets ?? {}));
        for (const [name, value] of Object.entries(this.env)) {
            if (value === undefined || secretValues.has(value))
                continue;
            if (SECRET_NAMES.includes(name) || name in this.o.secretEnv)
                continue;
            env[name] = value;
        }
        env.CNB_PLATFORM_API = this.o.platformApi;
        if (this.o.caCerts)
            env.SSL_CERT_FILE = this.caEnv().SSL_CERT_FILE ?? local_SYSTEM_CA_BUNDLE;
        if (spec.registry)
            Object.assign(env, this.o.secretEnv);
        if (this.dropsToCnb(spec)) {
            const passwd = (0,external_node_fs_namespaceObject.existsSync)("/etc/passwd") ? (0,external_node_fs_namespaceObject.readFileSync)("/etc/passwd", "utf8") : "";
            env.HOME = homeOf(this.o.uid, passwd) ?? this.paths.app;
        }
        return env;
    }
    dropsToCnb(spec) {
        return this.isRoot && spec.runAs === "cnb";
    }
    async runPhase(spec, onLine) {
        if (this.cancelled.signal.aborted)
            throw cancelledError(this.cancelSignal, spec.phase);
        const result = await this.o.run(spec.binary, spec.args, {
            signal: this.cancelled.signal,
            env: this.phaseEnv(spec),
            replaceEnv: true,
            cwd: this.paths.app,
            onLine: (line) => onLine(line),
            ...(this.dropsToCnb(spec) ? { uid: this.o.uid, gid: this.o.gid } : {}),
        });
        if (this.cancelled.signal.aborted)
            throw cancelledError(this.cancelSignal, spec.phase);
        // No later phase runs buildpacks: pre-export and the exporter never see the secrets.
        if (spec.phase === "build")
            for (const file of this.secretFiles())
                (0,external_node_fs_namespaceObject.rmSync)(file, { force: true });
        return result.exitCode;
    }
    readOutput(name) {
        const file = (0,external_node_path_namespaceObject.join)(this.paths.out, name);
        return (0,external_node_fs_namespaceObject.existsSync)(file) ? (0,external_node_fs_namespaceObject.readFileSync)(file, "utf8") : undefined;
    }
    async cleanup() {
        (0,external_node_fs_namespaceObject.rmSync)(this.scratch, { recursive: true, force: true });
        for (const dir of [this.paths.layers, this.paths.app]) {
            if ((0,external_node_fs_namespaceObject.existsSync)(dir))
                emptyDir(dir);
        }
        this.releaseCache?.();
        this.releaseCache = undefined;
        this.unhookCancel?.();
        this.unhookCancel = undefined;
    }
}
const ARCH = { x64: "amd64", arm64: "arm64", x86_64: "amd64", aarch64: "arm64" };
/**
 * What a build needs to know about the builder we are running inside, without Docker:
 * CNB_USER_ID/CNB_GROUP_ID from the environment, buildpacks from /cnb/order.toml, run images from
 * /cnb/run.toml, the lifecycle version from `lifecycle -version`, the platform from process.arch.
 */
async function localBuilderInfo(o) {
    const env = o.env ?? process.env;
    const cnb = o.cnbDir ?? "/cnb";
    const uidText = env.CNB_USER_ID;
    const gidText = env.CNB_GROUP_ID;
    const uid = Number(uidText);
    const gid = Number(gidText);
    if (!uidText || !gidText || !Number.isInteger(uid) || !Number.isInteger(gid))
        throw new MlBuildpacksError(messages.notABuilder(`this container (${cnb})`, "CNB_USER_ID/CNB_GROUP_ID are not set in its environment (the local executor runs inside a builder image)"));
    const lifecycle = (0,external_node_path_namespaceObject.join)(cnb, "lifecycle", "lifecycle");
    if (!(0,external_node_fs_namespaceObject.existsSync)(lifecycle))
        throw new MlBuildpacksError(messages.lifecycleNotFound((0,external_node_path_namespaceObject.join)(cnb, "lifecycle")));
    const result = await o.run(lifecycle, ["-version"]).catch(() => undefined);
    const reported = result?.exitCode === 0 ? result.stdout.trim() : "";
    const lifecycleVersion = reported && reported !== "0.0.0" ? reported : DEFAULT_LIFECYCLE_VERSION;
    const platformApis = lifecycleApis(lifecycleVersion).platform;
    const readToml = (name) => {
        const file = (0,external_node_path_namespaceObject.join)(cnb, name);
        return (0,external_node_fs_namespaceObject.existsSync)(file)
            ? parseTomlFile((0,external_node_fs_namespaceObject.readFileSync)(file, "utf8"), file)
            : {};
    };
    const order = (readToml("order.toml").order ?? []);
    const seen = new Map();
    for (const g of order)
        for (const bp of g.group ?? [])
            seen.set(`${bp.id}@${bp.version ?? ""}`, { id: bp.id, version: bp.version ?? "" });
    const runImages = (readToml("run.toml").images ?? [])
        .map((i) => i.image)
        .filter((i) => typeof i === "string");
    const arch = ARCH[o.arch ?? process.arch] ?? o.arch ?? process.arch;
    return {
        ref: o.ref,
        imageId: "",
        digest: o.digest,
        platform: `linux/${arch}`,
        uid,
        gid,
        lifecycleVersion,
        platformApis,
        runImages,
        buildpacks: [...seen.values()],
        stackId: env.CNB_STACK_ID,
        // This process runs in the builder: there is nothing to pull.
        inDaemon: true,
    };
}

;// CONCATENATED MODULE: ./src/core/executor/factory.ts


function executorFactory(setup, req) {
    return (builder, platformApi, secretEnv) => {
        const common = {
            appDir: req.appDir,
            cacheDir: req.cacheDir,
            clearCache: req.clearCache,
            sbomOutputDir: req.sbomOutputDir,
            buildEnv: req.env,
            buildSecrets: req.secrets,
            caCerts: req.caCerts,
            platformApi,
            secretEnv,
            preExportDir: setup.preExportDir,
        };
        return setup.kind === "local"
            ? new LocalExecutor({ ...common, run: setup.run, log: setup.log, uid: builder.uid, gid: builder.gid })
            : new DockerExecutor({
                ...common,
                docker: setup.docker,
                builder,
                memoryLimit: req.memoryLimit,
                log: setup.log,
            });
    };
}

;// CONCATENATED MODULE: ./src/core/manifest-tag.ts
// More tags for an image already in a registry: its manifest (or index) copied byte for byte, so every
// tag has the same digest. What a release does to move <flavor>-<major.minor>-<arch> and the like.




/** Pure: the source and the tags to give it; a tag that is a digest is refused before any request. */
function parseTagRequest(image, tags) {
    const source = parseImageRef(image);
    const targets = tags.map((t) => {
        const ref = parseImageRef(t);
        if (ref.digest)
            throw new MlBuildpacksError(messages.tagNeedsTag(t));
        return ref;
    });
    if (targets.length === 0)
        throw new MlBuildpacksError(messages.usage("no --tag given", "add --tag REF"));
    return { source, tags: targets };
}
/**
 * Reads the source's manifest once and puts the same bytes under each tag (blobs mounted or copied
 * first when a tag is in another repository). An index is copied as an index: its children must be
 * in the target repository already (a release's are: the tags stay in one repository).
 */
async function tagManifest(image, tags, deps) {
    const request = parseTagRequest(image, tags);
    const { source } = request;
    const manifest = await deps
        .clientFor(source.registry)
        .getManifest(source.repository, (source.digest ?? source.tag));
    if (!manifest)
        throw new MlBuildpacksError(messages.tagSourceMissing(formatImageRef(source)));
    const elsewhere = request.tags.find((t) => manifest.body.manifests && (t.registry !== source.registry || t.repository !== source.repository));
    if (elsewhere)
        throw new MlBuildpacksError(messages.tagIndexElsewhere(formatImageRef(source), formatImageRef(elsewhere)));
    await tagImage(deps.clientFor, source, manifest, request.tags);
    const shown = request.tags.map(formatImageRef);
    for (const tag of shown)
        deps.log.info(`${tag} -> ${manifest.digest}`);
    return { digest: manifest.digest, tags: shown };
}

;// CONCATENATED MODULE: ./src/core/rebase/messages.ts
const rebaseMessages = {
    needsTag: (image) => ({
        title: `rebase needs a tag to push the rebased image to, and ${image} has none`,
        hint: "name the image by its tag, e.g. --image ghcr.io/team/app:1.0",
        exitCode: 2,
    }),
    imageNotFound: (image) => ({
        title: `the image ${image} does not exist in its registry`,
        hint: "check the name and tag (and that your credentials can read it); nothing was pushed",
        exitCode: 2,
    }),
    notBuildpacksImage: (image) => ({
        title: `${image} is not an image built with buildpacks: it has no io.buildpacks.lifecycle.metadata label`,
        hint: "only images built by ml-buildpacks (or another Cloud Native Buildpacks platform) can be rebased; rebuild it with `ml-buildpacks build`. Nothing was pushed",
        exitCode: 2,
    }),
    notRebasable: (image) => ({
        title: `${image} is marked as not rebasable (io.buildpacks.rebasable=false)`,
        detail: "an image extension changed its run image, so its base layers cannot be swapped",
        hint: "rebuild the image instead; nothing was pushed",
        exitCode: 2,
    }),
    noRunImageName: (image) => ({
        title: `${image} does not name the run image it was built on`,
        hint: "pass the run image to rebase onto with --run-image REF; nothing was pushed",
        exitCode: 2,
    }),
    unsupportedChild: (image, what) => ({
        title: `${image} is a manifest list with an entry that is not a platform image (${what})`,
        hint: "rebase each per-arch image and make the list again with `ml-buildpacks manifest create`; nothing was pushed",
        exitCode: 2,
    }),
    runImageNotFound: (runImage, named) => ({
        title: `the run image ${runImage} (${named}) does not exist in its registry`,
        hint: "check the name and tag, or pass the run image with --run-image REF; nothing was pushed",
        exitCode: 2,
    }),
    runImagePlatform: (runImage, wanted, found) => ({
        title: `the run image ${runImage} has no ${wanted} image, which the image to rebase needs`,
        detail: `it has: ${found.join(", ") || "nothing"}`,
        hint: "pass a run image made for every platform of the image (a manifest list), e.g. with `ml-buildpacks manifest create`; nothing was pushed",
        exitCode: 2,
    }),
    otherStack: (runImage, platform, label, app, run) => ({
        title: `the run image ${runImage} (${platform}) is of another stack than the image it would become the base of`,
        detail: `${label}: the image has "${app}", the run image "${run}"`,
        hint: "rebase onto a (patched) run image of the same stack, or rebuild the image with the new one; nothing was pushed",
        exitCode: 2,
    }),
    rebaserFailed: (platform, exitCode, output) => ({
        title: `the lifecycle's rebaser failed for ${platform} (exit code ${exitCode})`,
        detail: output.trim().split("\n").slice(-15).join("\n"),
        hint: "see its output above; the image's tag was not changed",
    }),
    signFailed: (cause, tag, previous) => ({
        title: `${cause.title}: the rebase stopped before moving ${tag}`,
        // The cause's first line is cosign's reason; its own "nothing was tagged" line is said here for the tag.
        detail: `${cause.detail.split("\n")[0]}\n${tag} still names the image it named before (${previous}), with its old signature.`,
        hint: "run the rebase again (a registry error may pass); if it persists, check that the credentials for this registry may push <repository>:sha256-<digest>.sig",
    }),
    rebaserNoReport: (platform) => ({
        title: `the lifecycle's rebaser for ${platform} wrote no report with the new image's digest`,
        hint: "see its output above; the image's tag was not changed",
    }),
};

;// CONCATENATED MODULE: ./src/core/rebase/plan.ts
// What a rebase does for each platform, decided from the images' manifests and configs before anything
// runs or is pushed: pure, so every refusal is tested without a registry.




const LIFECYCLE_METADATA = "io.buildpacks.lifecycle.metadata";
const labelsOf = (config) => config.config?.Labels ?? {};
const platformOf = (config) => ({
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
});
/** Pure: the run image an app image was built on; throws when it is not a buildpacks image. */
function recordedRunImage(image, config) {
    const raw = labelsOf(config)[LIFECYCLE_METADATA];
    if (!raw)
        throw new MlBuildpacksError(rebaseMessages.notBuildpacksImage(image));
    let md;
    try {
        md = JSON.parse(raw);
    }
    catch {
        throw new MlBuildpacksError(rebaseMessages.notBuildpacksImage(image));
    }
    const run = md.runImage ?? {};
    if (!run.topLayer)
        throw new MlBuildpacksError(rebaseMessages.notBuildpacksImage(image));
    // Platform API 0.12+ records runImage.image; older images only stack.runImage (as the lifecycle reads it).
    const named = run.image ? run : (md.stack?.runImage ?? {});
    const names = [named.image, ...(named.mirrors ?? [])].filter((n) => Boolean(n)).map(byTag);
    return { topLayer: run.topLayer, reference: run.reference ?? "", names };
}
/**
 * Pure: a recorded name without its digest when it has a tag (a forced rebase records name:tag@digest),
 * so the tag is looked up again and a newer patch under it is found.
 */
function byTag(name) {
    try {
        const ref = parseImageRef(name);
        return ref.tag && ref.digest ? formatImageRef({ ...ref, digest: undefined }) : name;
    }
    catch {
        return name;
    }
}
/** Pure: a name as the lifecycle compares run image names: registry/repository:tag, no digest. */
function comparableName(ref) {
    return formatImageRef({ ...parseImageRef(ref.replace(/@.*$/, "")), digest: undefined });
}
/** Pure: the run image to rebase onto by default: the recorded name in the image's registry, else the first. */
function defaultRunImageName(names, registry) {
    return names.find((n) => parseImageRef(n).registry === registry) ?? names[0];
}
/**
 * Pure: the tag each platform's rebased image is pushed under before the list moves: TAG-ARCH
 * (TAG-OS-ARCH off linux, -VARIANT appended), as per-arch images are commonly tagged.
 */
function archTag(tag, platform) {
    const parts = [
        tag,
        platform.os === "linux" ? undefined : platform.os,
        platform.architecture,
        platform.variant,
    ];
    return parts.filter(Boolean).join("-").slice(0, 128);
}
/**
 * Pure: where the rebaser pushes when the rebase signs: not the tag itself, which the lifecycle would
 * move before anything could be signed, but this tag next to it, moved to the signed digest after.
 */
function stagingTag(tag) {
    const suffix = ".rebase-staging";
    return `${tag.slice(0, 128 - suffix.length)}${suffix}`;
}
/** Labels that say which stack an image is of; a rebase onto another one is refused. */
const STACK_LABELS = [
    "io.buildpacks.base.distro.name",
    "io.buildpacks.base.distro.version",
    "io.buildpacks.base.id",
    "io.buildpacks.stack.id",
];
/** Pure: throws when the run image is of another platform or stack than the app image. */
function checkRunImage(o) {
    const app = platformOf(o.appConfig);
    const run = platformOf(o.runConfig);
    if (!samePlatform(app, run))
        throw new MlBuildpacksError(rebaseMessages.runImagePlatform(o.runImage, formatPlatform(app), [formatPlatform(run)]));
    if (labelsOf(o.appConfig)["io.buildpacks.rebasable"] === "false")
        throw new MlBuildpacksError(rebaseMessages.notRebasable(o.image));
    const appLabels = labelsOf(o.appConfig);
    const runLabels = labelsOf(o.runConfig);
    for (const label of STACK_LABELS) {
        const a = appLabels[label];
        const r = runLabels[label];
        // A label only one side has says nothing; both having it and differing is another stack.
        if (a !== undefined && r !== undefined && a !== r)
            throw new MlBuildpacksError(rebaseMessages.otherStack(o.runImage, formatPlatform(app), label, a, r));
    }
}
/** Pure: one platform's plan from its app image and the resolved run image. */
function planArch(o) {
    const platform = platformOf(o.appConfig);
    const image = formatImageRef({ ...o.target, tag: undefined, digest: o.appDigest });
    const runName = formatImageRef({ ...o.runImage.ref, digest: undefined });
    checkRunImage({ appConfig: o.appConfig, runConfig: o.runImage.config, runImage: runName, image });
    const recordedNames = o.recorded.names.map(comparableName);
    const topLayer = o.runImage.config.rootfs?.diff_ids?.at(-1);
    return {
        platform,
        image,
        previousDigest: o.appDigest,
        output: formatImageRef({
            ...o.target,
            digest: undefined,
            tag: o.single ? o.target.tag : archTag(o.target.tag, platform),
        }),
        runImage: formatImageRef({ ...o.runImage.ref, digest: o.runImage.digest }),
        previousRunImage: o.recorded.reference,
        force: !recordedNames.includes(comparableName(runName)),
        upToDate: topLayer !== undefined && topLayer === o.recorded.topLayer,
    };
}

;// CONCATENATED MODULE: ./src/core/rebase/publish.ts
// Signed rebases: each new image is signed by digest before a tag names it. Kept apart from the
// registry and cosign (both injected) so the order, and what a failed signature leaves, is tested alone.


/**
 * Signs every staged image, then moves each tag to its image: no tag names an unsigned image, and
 * when a signature fails no tag has moved (the error names the tag and the digest it still names).
 */
async function signThenTag(staged, o) {
    for (const image of staged)
        await signOrExplain(() => o.sign(image), image.tag, image.previousDigest);
    for (const image of staged)
        await o.tag(image);
}
/** Runs a signature; its failure says which tag was left where. */
async function signOrExplain(sign, tag, previous) {
    try {
        await sign();
    }
    catch (err) {
        if (!(err instanceof MlBuildpacksError))
            throw err;
        throw new MlBuildpacksError(rebaseMessages.signFailed(err, tag, previous));
    }
}

;// CONCATENATED MODULE: ./src/core/rebase/rebaser.ts
// The lifecycle's own rebaser (/cnb/lifecycle/rebaser) in the builder image of the platform being
// rebased, as each build phase runs: credentials by env name only, never in argv.







const OUT = "/ml-buildpacks";
/** Debian's system CA bundle in the builder image, replaced by --ca-certs as the build does. */
const rebaser_SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
/** Pure: the rebaser's flags (lifecycle 0.21, Platform API 0.12+: cmd/lifecycle/rebaser.go). */
function rebaserArgs(plan, o) {
    return [
        "-log-level",
        o.logLevel,
        "-no-color",
        "-report",
        o.reportPath,
        // The image is read by digest; the output tag is only written.
        "-previous-image",
        plan.image,
        "-run-image",
        plan.runImage,
        ...(plan.force ? ["-force"] : []),
        ...o.insecureRegistries.flatMap((r) => ["-insecure-registry", r]),
        plan.output,
    ];
}
/** Pure: `docker run` for the rebaser; `envNames` are passed by name (values in docker's own env). */
function rebaserDockerArgs(o) {
    return [
        "run",
        "--rm",
        "--name",
        o.name,
        "--network",
        "host",
        "--platform",
        o.builder.platform,
        // Root reads the credentials, then the rebaser drops to CNB_USER_ID itself.
        "--user",
        "0:0",
        "-v",
        `${o.outDir}:${OUT}`,
        ...(o.caCerts ? ["-v", `${o.caCerts}:${rebaser_SYSTEM_CA_BUNDLE}:ro`] : []),
        "-e",
        `CNB_PLATFORM_API=${o.platformApi}`,
        ...o.envNames.flatMap((n) => ["-e", n]),
        "--entrypoint",
        "/cnb/lifecycle/rebaser",
        o.builder.ref,
        ...o.args,
    ];
}
/** Pure: the new image's digest from the rebaser's report.toml ([image] digest). */
function reportDigest(text, file) {
    const report = parseTomlFile(text, file);
    const digest = report.image?.digest;
    return typeof digest === "string" && digest.startsWith("sha256:") ? digest : undefined;
}
/** Runs the rebaser for one platform; resolves to the new image's digest. */
async function runRebaser(plan, o) {
    const outDir = (0,external_node_fs_namespaceObject.mkdtempSync)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), "ml-buildpacks-rebase-"));
    const platform = formatPlatform(plan.platform);
    try {
        (0,external_node_fs_namespaceObject.chmodSync)(outDir, 0o777); // written by the CNB user after the rebaser drops root
        const flags = (reportDir) => rebaserArgs(plan, {
            insecureRegistries: o.insecureRegistries,
            logLevel: o.logLevel,
            reportPath: `${reportDir}/report.toml`,
        });
        const lines = [];
        const onLine = (line) => {
            lines.push(line);
            o.onLine(line);
        };
        const caCerts = o.caCerts ? (0,external_node_path_namespaceObject.resolve)(o.caCerts) : undefined;
        const result = o.host.kind === "docker"
            ? await o.host.docker.exec(rebaserDockerArgs({
                builder: o.builder,
                platformApi: o.platformApi,
                outDir,
                caCerts,
                envNames: Object.keys(o.env),
                name: `ml-buildpacks-rebase-${plan.previousDigest.slice(7, 19)}`,
                args: flags(OUT),
            }), { env: o.env, onLine })
            : await o.host.run((0,external_node_path_namespaceObject.join)(o.host.lifecycleDir ?? "/cnb/lifecycle", "rebaser"), flags(outDir), {
                env: {
                    ...o.env,
                    CNB_PLATFORM_API: o.platformApi,
                    ...(caCerts ? { SSL_CERT_FILE: caCerts } : {}),
                },
                onLine,
            });
        if (result.exitCode !== 0)
            throw new MlBuildpacksError(rebaseMessages.rebaserFailed(platform, result.exitCode, lines.join("\n") || result.stderr));
        let text;
        try {
            text = (0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(outDir, "report.toml"), "utf8");
        }
        catch {
            throw new MlBuildpacksError(rebaseMessages.rebaserNoReport(platform));
        }
        const digest = reportDigest(text, "report.toml");
        if (!digest)
            throw new MlBuildpacksError(rebaseMessages.rebaserNoReport(platform));
        return digest;
    }
    finally {
        (0,external_node_fs_namespaceObject.rmSync)(outDir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/core/rebase/staging.ts
// The staging tag a signed rebase pushes through (see index.ts) is dropped once the real tag names
// the signed image, where the registry deletes manifests. Never by a DELETE of the tag or of the
// image's digest: some registries delete the image itself for either, and the real tag names it.
// Instead the staging tag moves to a placeholder only it names, and the placeholder is deleted.

const EMPTY_CONFIG = Buffer.from("{}");
const staging_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
/** Pure: a manifest with no layers, unique to this staging tag and image (so nothing else names it). */
function placeholderManifest(stagingTag, digest) {
    return Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: staging_OCI_MANIFEST,
        config: {
            mediaType: "application/vnd.oci.empty.v1+json",
            digest: `sha256:${(0,external_node_crypto_namespaceObject.createHash)("sha256").update(EMPTY_CONFIG).digest("hex")}`,
            size: EMPTY_CONFIG.length,
        },
        layers: [],
        annotations: {
            "org.opencontainers.image.ref.name": stagingTag,
            "io.ml-buildpacks.rebase.staged": digest,
        },
    }));
}
/** Drops one staging tag (which names `digest`); a failure only leaves it behind, said in the log. */
async function dropStagingTag(client, repository, staging, log) {
    const placeholder = placeholderManifest(staging.tag, staging.digest);
    try {
        await client.uploadBlob(repository, EMPTY_CONFIG);
        const digest = await client.putManifest(repository, staging.tag, placeholder, staging_OCI_MANIFEST);
        const { deleted, why } = await client.deleteManifest(repository, digest);
        if (!deleted)
            log.info(`the staging tag ${staging.shown} stays, naming an empty manifest (${why})`);
    }
    catch (err) {
        log.info(`the staging tag ${staging.shown} stays, naming the signed image ${staging.digest} (${err instanceof Error ? err.message : String(err)})`);
    }
}

;// CONCATENATED MODULE: ./src/core/rebase/index.ts
// `rebase`: swaps the run image under an app image, every platform of a manifest list, without a
// build. Everything is read and checked first (the image, each platform's run image and builder);
// then the lifecycle's rebaser runs per platform and pushes TAG-ARCH; the list's tag moves last.
// With a signing key, every new image and the list are signed by digest before a tag names them.













async function readChildren(target, client) {
    const shown = formatImageRef(target);
    const top = await client.getManifest(target.repository, target.tag);
    if (!top)
        throw new MlBuildpacksError(rebaseMessages.imageNotFound(shown));
    const descriptors = top.body.manifests;
    const entries = descriptors
        ? descriptors.map((d) => {
            if (!d.platform || d.platform.os === "unknown")
                throw new MlBuildpacksError(rebaseMessages.unsupportedChild(shown, `${d.digest}, ${d.mediaType ?? "no media type"}`));
            return d.digest;
        })
        : [top.digest];
    const children = [];
    for (const digest of entries) {
        const manifest = digest === top.digest ? top : await client.getManifest(target.repository, digest);
        const config = manifest && (await client.getConfig(target.repository, manifest));
        if (!config)
            throw new MlBuildpacksError(rebaseMessages.imageNotFound(`${shown} (${digest})`));
        children.push({ digest, config, recorded: recordedRunImage(`${shown} (${digest})`, config) });
    }
    return { digest: top.digest, single: !descriptors, children };
}
/** The run image for one platform: its child of a list, or the image itself when its platform fits. */
async function resolveRunImage(name, named, appConfig, access) {
    const ref = parseImageRef(name);
    access.add([ref.registry]);
    const client = access.clientFor(ref.registry);
    const top = await client.getManifest(ref.repository, (ref.digest ?? ref.tag));
    if (!top)
        throw new MlBuildpacksError(rebaseMessages.runImageNotFound(name, named));
    const wanted = platformOf(appConfig);
    let manifest = top;
    if (top.body.manifests) {
        const child = top.body.manifests.find((m) => m.platform && samePlatform(m.platform, wanted));
        if (!child)
            throw new MlBuildpacksError(rebaseMessages.runImagePlatform(name, formatPlatform(wanted), top.body.manifests.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : []))));
        const childManifest = await client.getManifest(ref.repository, child.digest);
        if (!childManifest)
            throw new MlBuildpacksError(rebaseMessages.runImageNotFound(name, named));
        manifest = childManifest;
    }
    const config = await client.getConfig(ref.repository, manifest);
    if (!config)
        throw new MlBuildpacksError(rebaseMessages.runImageNotFound(name, named));
    return { ref, digest: manifest.digest, config };
}
async function rebase(req, deps) {
    const { log, docker } = deps;
    const env = deps.env ?? process.env;
    const target = parseImageRef(req.image);
    if (target.digest || !target.tag)
        throw new MlBuildpacksError(rebaseMessages.needsTag(req.image));
    const access = new RegistryAccess([target.registry], req, {
        env,
        log,
        registerSecret: deps.registerSecret,
    });
    const shown = formatImageRef(target);
    const { plans, single, indexDigest } = await log.group(`Reading ${shown}`, async () => {
        const read = await readChildren(target, access.clientFor(target.registry));
        const out = [];
        for (const child of read.children) {
            const name = req.runImage ?? defaultRunImageName(child.recorded.names, target.registry);
            if (!name)
                throw new MlBuildpacksError(rebaseMessages.noRunImageName(`${shown} (${child.digest})`));
            const named = req.runImage ? "--run-image" : "the run image the image was built on";
            const runImage = await resolveRunImage(name, named, child.config, access);
            const plan = planArch({
                target,
                single: read.single,
                appDigest: child.digest,
                appConfig: child.config,
                recorded: child.recorded,
                runImage,
            });
            log.info(`${formatPlatform(plan.platform)}  ${child.digest}: run image ${child.recorded.reference || "?"} -> ${plan.runImage}${plan.upToDate ? " (already on it)" : ""}`);
            out.push(plan);
        }
        return { plans: out, single: read.single, indexDigest: read.digest };
    });
    const report = (digests, newIndex) => ({
        image: shown,
        ...(single ? {} : { previousIndexDigest: indexDigest, ...(newIndex ? { indexDigest: newIndex } : {}) }),
        platforms: plans.map((p) => ({
            platform: formatPlatform(p.platform),
            previousDigest: p.previousDigest,
            digest: digests.get(p) ?? p.previousDigest,
            runImage: p.runImage,
            previousRunImage: p.previousRunImage,
            rebased: digests.has(p),
        })),
    });
    const todo = plans.filter((p) => !p.upToDate);
    if (todo.length === 0) {
        log.info(`${shown} is already on that run image: nothing to push`);
        return report(new Map(), single ? undefined : indexDigest);
    }
    // Every platform's builder is found before the first push: a missing one changes nothing.
    const builders = new Map();
    for (const plan of todo) {
        const builder = deps.local?.builder ??
            (await resolveBuilder({ ...req, pull: "missing", platform: formatPlatform(plan.platform) }, { docker, log, env }));
        builders.set(plan, { builder, platformApi: choosePlatformApi(req, builder) });
    }
    const host = deps.local ? { kind: "local", run: deps.local.run } : { kind: "docker", docker };
    // Opened before the first push: a wrong key or password changes nothing.
    const signer = req.sign && (await openRebaseSigner(req.sign, req, [...builders.values()], access, deps, env));
    const targetClient = access.clientFor(target.registry);
    const deletes = signer ? await targetClient.deleteSupport(target.repository) : undefined;
    const digests = new Map();
    const rebaserEnv = { ...proxyEnv(env), ...access.lifecycleEnv() };
    try {
        for (const plan of todo) {
            const { builder, platformApi } = builders.get(plan);
            if (!deps.local)
                await pullBuilder(builder, { docker, log });
            // The lifecycle's rebaser pushes under a tag it is given (it cannot push by digest: the digest
            // is known only once it pushed), so a signed rebase gives it a staging tag and moves the real
            // one itself after signing; the staging tag is dropped where the registry deletes (staging.ts).
            const output = signer ? stagedOutput(plan.output) : plan.output;
            const digest = await log.group(`Rebasing ${formatPlatform(plan.platform)} onto ${plan.runImage}`, () => runRebaser({ ...plan, output }, {
                host,
                builder,
                platformApi,
                caCerts: req.caCerts,
                insecureRegistries: req.insecureRegistries,
                logLevel: req.logLevel,
                env: rebaserEnv,
                onLine: (line) => log.output(line),
            }));
            log.info(`${formatPlatform(plan.platform)}: ${output}@${digest}`);
            digests.set(plan, digest);
        }
        if (signer) {
            const staged = todo.map((p) => ({
                tag: p.output,
                digest: digests.get(p),
                previousDigest: p.previousDigest,
            }));
            await signThenTag(staged, {
                sign: (image) => signer.sign(target.repository, target.registry, image.digest, false),
                tag: (image) => log.group(`Tagging ${image.tag}`, () => copyToTag(targetClient, target.repository, image)),
            });
        }
    }
    finally {
        // Also when a signature failed: where deletes work, no tag is left naming an unsigned image.
        if (signer)
            for (const plan of todo.filter((p) => digests.has(p))) {
                const shown = stagedOutput(plan.output);
                const digest = digests.get(plan);
                if (deletes?.supported)
                    await dropStagingTag(targetClient, target.repository, { tag: parseImageRef(shown).tag, digest, shown }, log);
                else
                    log.info(`the staging tag ${shown} stays, naming ${digest} (the registry does not delete manifests: ${deletes?.why})`);
            }
    }
    if (single)
        return report(digests);
    const index = await createIndex(shown, plans.map((p) => ({
        ref: { ...target, tag: undefined, digest: digests.get(p) ?? p.previousDigest },
        expected: p.platform,
    })), {
        clientFor: access.clientFor,
        log,
        ...(signer
            ? {
                beforeTag: (digest) => signOrExplain(() => signer.sign(target.repository, target.registry, digest, false), shown, indexDigest),
            }
            : {}),
    });
    return report(digests, index.digest);
}
/** Pure: the rebaser's output when signing: the plan's tag, staged. */
function stagedOutput(output) {
    const ref = parseImageRef(output);
    return formatImageRef({ ...ref, tag: stagingTag(ref.tag) });
}
/** Moves a tag to an image already in the repository (its manifest's bytes, so the digest stays). */
async function copyToTag(client, repository, image) {
    const manifest = await client.getManifest(repository, image.digest);
    if (!manifest)
        throw new MlBuildpacksError(rebaseMessages.imageNotFound(`${image.tag}@${image.digest}`));
    await client.putManifest(repository, parseImageRef(image.tag).tag, manifest.raw, manifest.mediaType);
}
/**
 * The rebase's signer: cosign on this machine or in this builder, else the builder image's through
 * Docker (one of this machine's platform when there is one, so it runs without emulation).
 */
function openRebaseSigner(sign, req, builders, access, deps, env) {
    const native = builders.find((b) => b.builder.platform === hostPlatform()) ?? builders[0];
    return openSignerWith(sign, req, native?.builder, access, deps, env);
}

;// CONCATENATED MODULE: ./src/core/report.ts

/** Pure: a short human summary of a build, printed at the end of the log. */
function renderSummary(r) {
    const rows = [
        ["image", r.imageRef],
        ["platform", r.platform],
        [
            "builder",
            `${r.builder.ref} (lifecycle ${r.builder.lifecycleVersion}, platform API ${r.builder.platformApi})`,
        ],
        ["buildpacks", r.buildpacks.map((b) => `${b.id}@${b.version}`).join(", ")],
        [
            "layers",
            `${r.layers.reused.length} reused, ${r.layers.added.length} added${r.layers.added.length ? ` (${r.layers.added.join(", ")})` : ""}`,
        ],
        ["cache layers", `${r.layers.cacheReused.length} reused, ${r.layers.cacheAdded.length} added`],
        ["image size", r.imageSizeBytes !== undefined ? formatBytes(r.imageSizeBytes) : "unknown"],
        [
            "phases",
            r.fastPath.used
                ? r.fastPath.appLayerOnly
                    ? "none (fast path: only the app layer replaced)"
                    : "none (fast path: inputs unchanged)"
                : r.phases.map((p) => `${p.phase} ${formatDuration(p.ms)}`).join(", "),
        ],
        ["total", formatDuration(r.totalMs)],
    ];
    const width = Math.max(...rows.map(([k]) => (k ?? "").length));
    return rows.map(([k, v]) => `  ${(k ?? "").padEnd(width)}  ${v}`).join("\n");
}

;// CONCATENATED MODULE: ./src/core/request.ts


const REQUEST_DEFAULTS = {
    pull: "missing",
    logLevel: "info",
    compression: "fast",
};
/** --ca-certs default: ML_BUILDPACKS_CA_CERTS, else the host's SSL_CERT_FILE when it names a file. */
function defaultCaCerts(env, isFile) {
    const candidate = env.ML_BUILDPACKS_CA_CERTS || env.SSL_CERT_FILE;
    return candidate && isFile(candidate) ? candidate : undefined;
}
const request_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Parses KEY=VALUE entries (CLI --env, action `env` lines); CNB_* names are the lifecycle's. */
function parseEnvEntries(entries) {
    const env = {};
    for (const entry of entries) {
        const eq = entry.indexOf("=");
        const name = eq > 0 ? entry.slice(0, eq) : "";
        if (!request_ENV_NAME.test(name))
            throw new MlBuildpacksError(messages.invalidEnvVar(entry));
        if (name.startsWith("CNB_"))
            throw new MlBuildpacksError(messages.reservedEnvVar(name));
        env[name] = entry.slice(eq + 1);
    }
    return env;
}
const MEMORY_UNITS = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
/** Docker refuses container memory limits below 6 MiB. */
const MIN_MEMORY = 6 * 1024 ** 2;
/**
 * Pure: a memory limit in Docker's notation ("1g", "1536m", "2147483648"), normalised to lower case,
 * or an error naming `option` (the CLI flag or action input it came from).
 */
function parseMemoryLimit(option, value) {
    if (value === undefined || value.trim() === "")
        return undefined;
    const text = value.trim().toLowerCase();
    const match = /^(\d+)([bkmg]?)$/.exec(text);
    const bytes = match ? Number(match[1]) * (MEMORY_UNITS[match[2] ?? ""] ?? Number.NaN) : Number.NaN;
    if (!(bytes >= MIN_MEMORY))
        throw new MlBuildpacksError(messages.badMemoryLimit(option, value));
    return text;
}

;// CONCATENATED MODULE: ./src/cli/args.ts











const USAGE = `ml-buildpacks: Cloud Native Buildpacks for machine-learning projects

Usage:
  ml-buildpacks build APP_DIR --image REF [options]
  ml-buildpacks builder create --config builder.toml --image REF [options]
  ml-buildpacks manifest create --image REF --from [OS/ARCH=]REF@DIGEST [--from ...]
  ml-buildpacks manifest tag --image REF --tag REF [--tag ...]
  ml-buildpacks rebase --image REF [--run-image REF] [options]
  ml-buildpacks --version | --help

build options:
  --image REF            image to build and push (required), e.g. ghcr.io/team/app:1.0
  --tag REF              another tag for the same image (repeatable)
  --flavor cpu|cuda      which published builder: ${PUBLISHED_NAMESPACE}/builder:<flavor>-${ML_BUILDPACKS_VERSION}
                         (the namespace is $ML_BUILDPACKS_NAMESPACE when set: a mirror). Default: cpu
  --builder REF          any builder image; overrides --flavor
  --run-image REF        run image instead of the builder's
  --previous-image REF   image of the last build (same registry), e.g. app:main when --image is
                         app:<commit>: its layers are reused and the fast path compares against it
  --cache-dir DIR        keep the lifecycle's layer cache in DIR between builds
  --clear-cache          empty the cache dir before building
  --env KEY=VALUE        build-time env for the buildpacks (repeatable)
  --secret id=NAME,env=VAR|src=FILE
                         a build secret the buildpacks see as $NAME (e.g. PIP_INDEX_URL with a token),
                         its value from this shell's $VAR or from FILE, never from argv (repeatable;
                         id=NAME alone reads $NAME): masked in the log, kept out of the image, its labels,
                         the report, the cache and the inputs digest
  --platform OS/ARCH     platform to build for; must match the builder (default: the builder's)
  --pull POLICY          missing (default) or always: when to pull a builder found only in the
                         local daemon (a registry builder is resolved there, pulled by digest)
  --default-process T    process type the image starts by default
  --report FILE          write the JSON build report to FILE
  --sbom-output-dir DIR  after the push, write the image's SBOM (CycloneDX and SPDX, from its SBOM layer)
                         to DIR/<os>-<arch>/layers/sbom/..., as pack sbom download lays it out
  --sign-key KEY         after the push, sign the image by digest with cosign (docs/signing.md): KEY is a
                         cosign.key file or env://VAR (a variable holding its PEM text), its password from
                         $COSIGN_PASSWORD; a wrong key or password fails before anything is pushed
  --sign-offline         sign without a Rekor transparency-log entry (verify with --insecure-ignore-tlog)
  --log-level LEVEL      info (default) or debug
  --no-publish           export to the local Docker daemon instead of pushing to the registry
  --trust-builder        run every phase in one container (faster; only for builders you trust)
  --compression MODE     how the large new layers are gzipped before the export (pre-export).
                         fast (default): igzip level 3 (ISA-L, in ml-buildpacks' builders; zlib level 1
                         on every core elsewhere); small: zlib level 4 on every core, about 5% smaller,
                         several seconds slower per large new layer; also recompresses after the export
                         where pre-export could not run
  --memory SIZE          memory limit of each lifecycle container (Docker's notation, e.g. 2g; swap
                         included): page cache is reclaimed instead of growing, and a runaway build
                         stops with an out-of-memory error instead of starving the host. Default: none
  --no-fast-path         run every phase even when the image at --image was built from the same inputs
                         or only app files no buildpack reads changed (then only its app layer is replaced)
  --ca-certs FILE        CA bundle to trust in the build containers (default: $ML_BUILDPACKS_CA_CERTS,
                         else $SSL_CERT_FILE when set); the registry client trusts it too
  --insecure-registry HOST  a registry (host[:port]) spoken to over plain HTTP, by ml-buildpacks and
                         the lifecycle (repeatable; loopback registries always are)
  --executor KIND        docker: each phase in a builder container; local: run /cnb/lifecycle/* directly,
                         inside the builder image (GitLab jobs, Tekton steps), no Docker needed.
                         Default: local when /cnb/lifecycle/lifecycle exists and no Docker socket is
                         reachable, else docker

builder create options:
  --config FILE          builder.toml (pack's format: [stack] or [build]/[[run.images]], [[buildpacks]], [[order]])
  --image REF            builder image to create
  --platform OS/ARCH     platform of the builder (default: this machine's); picks that child of a
                         multi-arch build image
  --lifecycle-dir DIR    lifecycle and launcher binaries for that platform (default .infra/lifecycle/OS-ARCH);
                         a cosign binary there goes to /cnb/ml-buildpacks/cosign (scripts/cosign.sh)
  --no-publish           build the image locally without pushing it
  --namespace NS         fills \${namespace} in a builder.toml template: where the builder's build and
                         run images are published (default: $ML_BUILDPACKS_NAMESPACE, else
                         ghcr.io/ml-buildpacks/ml-buildpacks)
  --version V            fills \${version} (and \${line}, its major.minor) in the template (default: this
                         ml-buildpacks' version)
  --ca-certs FILE        CA bundle to trust when reading the build image from its registry (default as
                         for build); Docker, which pulls it and pushes the builder, uses its own settings
  --insecure-registry HOST  a registry (host[:port]) read over plain HTTP (repeatable)

manifest create options:
  --image REF            tag of the multi-arch manifest list (OCI image index) to push
  --from [OS/ARCH=]REF@DIGEST
                         a per-arch image (repeatable); with OS/ARCH its platform is checked
  --sign-key KEY         sign the index by digest with cosign before the tag names it (as for build)
  --sign-offline         as for build
  --builder REF          whose cosign signs when none is at hand (default: the cpu builder, as for build)
  --ca-certs FILE        CA bundle to trust (default as for build)
  --insecure-registry HOST  a registry (host[:port]) spoken to over plain HTTP (repeatable)

manifest tag options:
  --image REF            an image or manifest list in a registry (a tag or @sha256:DIGEST)
  --tag REF              another tag for it, its manifest copied byte for byte, so the digest stays
                         (repeatable; an image's blobs are mounted or copied into another repository)
  --ca-certs FILE        CA bundle to trust (default as for build)
  --insecure-registry HOST  a registry (host[:port]) spoken to over plain HTTP (repeatable)

rebase options (swap in a patched run image without a build, every platform of a manifest list):
  --image REF            the image to rebase, by tag: a manifest list or a single-platform image;
                         each platform's rebased image is pushed as TAG-ARCH, then the list under TAG
  --run-image REF        run image to rebase onto (a manifest list, or an image of the platform);
                         default: the run image each image was built on, at its current digest
  --flavor cpu|cuda      whose builder's lifecycle runs the rebaser (default cpu), as for build
  --builder REF          that builder instead (its image for each platform); overrides --flavor
  --report FILE          write the JSON rebase report (old and new digests per platform) to FILE
  --sign-key KEY         sign every new image and the new list by digest with cosign before a tag names
                         them (as for build; docs/signing.md): if signing fails, the tags still name the
                         old images
  --sign-offline         as for build
  --log-level LEVEL      info (default) or debug
  --ca-certs FILE        CA bundle to trust (default as for build)
  --insecure-registry HOST  a registry (host[:port]) spoken to over plain HTTP (repeatable)
  --executor KIND        docker: the rebaser runs in each platform's builder container; local: this
                         builder image's own rebaser rebases every platform (Tekton steps, GitLab jobs).
                         Default as for build
`;
/**
 * --executor default: local when this process runs inside a builder image (its lifecycle is at
 * /cnb/lifecycle/lifecycle) and no Docker socket is reachable (a GitLab job or Tekton step); else docker.
 */
function chooseExecutor(flag, probe) {
    if (flag)
        return flag;
    return probe.insideBuilder && !probe.dockerReachable ? "local" : "docker";
}
const usageError = (problem) => new MlBuildpacksError(messages.usage(problem, "run `ml-buildpacks --help`"));
function parse(args, options) {
    try {
        return (0,external_node_util_namespaceObject.parseArgs)({ args, options, allowPositionals: true, strict: true });
    }
    catch (err) {
        throw usageError(err.message.split("\n")[0] ?? String(err));
    }
}
function oneOf(name, value, allowed, fallback) {
    if (value === undefined)
        return fallback;
    if (!allowed.includes(value))
        throw usageError(`--${name} must be one of ${allowed.join(", ")}, not "${value}"`);
    return value;
}
/** Pure: argv (without node and script) -> a command. */
function parseCommand(argv, env = {}, isFile = () => false, 
/** Reads --secret src= files; undefined when unreadable. */
readFile = () => undefined) {
    const [first, ...rest] = argv;
    if (first === undefined || first === "--help" || first === "-h" || first === "help")
        return { kind: "help", text: USAGE };
    if (first === "--version" || first === "-v")
        return { kind: "version" };
    if (first === "build")
        return parseBuild(rest, env, isFile, readFile);
    if (first === "builder") {
        const [sub, ...subRest] = rest;
        if (sub === "create")
            return parseBuilderCreate(subRest, env, isFile);
        throw usageError(`unknown builder subcommand "${sub ?? ""}" (known: create)`);
    }
    if (first === "manifest") {
        const [sub, ...subRest] = rest;
        if (sub === "create")
            return parseManifestCreate(subRest, env, isFile);
        if (sub === "tag")
            return parseManifestTag(subRest, env, isFile);
        throw usageError(`unknown manifest subcommand "${sub ?? ""}" (known: create, tag)`);
    }
    if (first === "rebase")
        return parseRebase(rest, env, isFile);
    throw usageError(`unknown command "${first}" (known: build, builder create, manifest create, manifest tag, rebase)`);
}
/** The build command's options: the one list the parser, `--help` and docs/cli.md are checked against. */
const BUILD_OPTIONS = {
    image: { type: "string" },
    tag: { type: "string", multiple: true },
    builder: { type: "string" },
    flavor: { type: "string" },
    "run-image": { type: "string" },
    "previous-image": { type: "string" },
    "cache-dir": { type: "string" },
    "clear-cache": { type: "boolean" },
    env: { type: "string", multiple: true },
    secret: { type: "string", multiple: true },
    platform: { type: "string" },
    pull: { type: "string" },
    "default-process": { type: "string" },
    report: { type: "string" },
    "sbom-output-dir": { type: "string" },
    "sign-key": { type: "string" },
    "sign-offline": { type: "boolean" },
    "log-level": { type: "string" },
    "ca-certs": { type: "string" },
    "insecure-registry": { type: "string", multiple: true },
    "no-publish": { type: "boolean" },
    "trust-builder": { type: "boolean" },
    "no-fast-path": { type: "boolean" },
    compression: { type: "string" },
    memory: { type: "string" },
    executor: { type: "string" },
};
function parseBuild(args, env, isFile, readFile) {
    const { values: v, positionals } = parse(args, { ...BUILD_OPTIONS, help: { type: "boolean" } });
    if (v.help)
        return { kind: "help", text: USAGE };
    if (positionals.length !== 1)
        throw usageError("build takes exactly one APP_DIR");
    const executorFlag = v.executor;
    const executor = executorFlag === undefined
        ? undefined
        : oneOf("executor", executorFlag, ["docker", "local"], "docker");
    if (executor === "local" && v["no-publish"] === true)
        throw usageError("--no-publish needs the docker executor (the local executor pushes to a registry)");
    const str = (name) => v[name];
    if (str("sbom-output-dir") !== undefined && v["no-publish"] === true)
        throw usageError("--sbom-output-dir reads the SBOM of the pushed image: drop --no-publish, or drop --sbom-output-dir");
    if (str("sign-key") !== undefined && v["no-publish"] === true)
        throw usageError("--sign-key signs the pushed image: drop --no-publish, or drop --sign-key");
    const image = str("image");
    if (!image)
        throw usageError("--image is required");
    const flavor = oneOf("flavor", str("flavor"), FLAVORS, "cpu");
    const buildEnv = parseEnvEntries(v.env ?? []);
    const secrets = parseSecretSpecs(v.secret ?? [], { env, readFile });
    checkSecretsApart(buildEnv, secrets);
    return {
        kind: "build",
        reportFile: str("report"),
        executor,
        request: {
            appDir: positionals[0],
            image,
            additionalTags: v.tag ?? [],
            builder: str("builder") ?? defaultBuilder(env, flavor),
            // A mirror's builder names the published run image: the default builder gets the mirror's.
            runImage: str("run-image") ?? (str("builder") ? undefined : defaultRunImage(env, flavor)),
            previousImage: str("previous-image"),
            cacheDir: str("cache-dir"),
            clearCache: v["clear-cache"] === true,
            env: buildEnv,
            secrets,
            platform: str("platform"),
            pull: oneOf("pull", str("pull"), ["missing", "always"], REQUEST_DEFAULTS.pull),
            defaultProcess: str("default-process"),
            logLevel: oneOf("log-level", str("log-level"), ["info", "debug"], REQUEST_DEFAULTS.logLevel),
            caCerts: str("ca-certs") ?? defaultCaCerts(env, isFile),
            insecureRegistries: v["insecure-registry"] ?? [],
            publish: v["no-publish"] !== true,
            ...(str("sbom-output-dir") ? { sbomOutputDir: str("sbom-output-dir") } : {}),
            ...signOptions(v, env, isFile),
            trustBuilder: v["trust-builder"] === true,
            fastPath: v["no-fast-path"] !== true,
            compression: oneOf("compression", str("compression"), COMPRESSION_MODES, REQUEST_DEFAULTS.compression),
            memoryLimit: parseMemoryLimit("--memory", str("memory")),
        },
    };
}
/** --sign-key and --sign-offline -> the request's sign options, checked against env and files now. */
function signOptions(v, env, isFile) {
    const key = v["sign-key"];
    if (key === undefined) {
        if (v["sign-offline"] === true)
            throw usageError("--sign-offline needs --sign-key");
        return {};
    }
    const sign = { key, offline: v["sign-offline"] === true };
    checkSignOptions(sign, env, isFile);
    return { sign };
}
/** --ca-certs and --insecure-registry, for the commands that talk to registries. */
const REGISTRY_OPTIONS = {
    "ca-certs": { type: "string" },
    "insecure-registry": { type: "string", multiple: true },
};
function registryAccess(v, env, isFile) {
    return {
        caCerts: v["ca-certs"] ?? defaultCaCerts(env, isFile),
        insecureRegistries: v["insecure-registry"] ?? [],
    };
}
function parseBuilderCreate(args, env, isFile) {
    const { values: v, positionals } = parse(args, {
        ...REGISTRY_OPTIONS,
        config: { type: "string" },
        image: { type: "string" },
        "lifecycle-dir": { type: "string" },
        "no-publish": { type: "boolean" },
        platform: { type: "string" },
        namespace: { type: "string" },
        version: { type: "string" },
        help: { type: "boolean" },
    });
    if (v.help)
        return { kind: "help", text: USAGE };
    if (positionals.length > 0)
        throw usageError(`unexpected argument "${positionals[0]}"`);
    const config = v.config;
    const image = v.image;
    if (!config)
        throw usageError("--config is required");
    if (!image)
        throw usageError("--image is required");
    const platform = v.platform ?? hostPlatform();
    return {
        kind: "builder-create",
        request: {
            configFile: config,
            image,
            lifecycleDir: v["lifecycle-dir"] ?? `.infra/lifecycle/${platform.replace("/", "-")}`,
            publish: v["no-publish"] !== true,
            platform,
            names: {
                namespace: publishedNamespace({
                    ML_BUILDPACKS_NAMESPACE: v.namespace ?? env.ML_BUILDPACKS_NAMESPACE,
                }),
                version: v.version ?? ML_BUILDPACKS_VERSION,
                arch: platform.split("/")[1],
            },
            ...registryAccess(v, env, isFile),
        },
    };
}
/**
 * The manifest commands' shared shape: --image, one repeatable option that must be given at least
 * once, and the registry options. Undefined for --help.
 */
function parseManifestArgs(args, repeated, missing, more = {}) {
    const { values: v, positionals } = parse(args, {
        ...REGISTRY_OPTIONS,
        ...more,
        image: { type: "string" },
        [repeated]: { type: "string", multiple: true },
        help: { type: "boolean" },
    });
    if (v.help)
        return undefined;
    if (positionals.length > 0)
        throw usageError(`unexpected argument "${positionals[0]}"`);
    const image = v.image;
    if (!image)
        throw usageError("--image is required");
    const values = v[repeated] ?? [];
    if (values.length === 0)
        throw usageError(missing);
    return { image, values, v };
}
function parseManifestCreate(args, env, isFile) {
    const parsed = parseManifestArgs(args, "from", "at least one --from REF is required (a tag or REF@sha256:...)", { "sign-key": { type: "string" }, "sign-offline": { type: "boolean" }, builder: { type: "string" } });
    if (!parsed)
        return { kind: "help", text: USAGE };
    return {
        kind: "manifest-create",
        image: parsed.image,
        children: parsed.values.map(parseChildSpec),
        ...signOptions(parsed.v, env, isFile),
        builder: parsed.v.builder ?? defaultBuilder(env, "cpu"),
        ...registryAccess(parsed.v, env, isFile),
    };
}
function parseManifestTag(args, env, isFile) {
    const parsed = parseManifestArgs(args, "tag", "at least one --tag REF is required");
    if (!parsed)
        return { kind: "help", text: USAGE };
    return {
        kind: "manifest-tag",
        image: parsed.image,
        tags: parsed.values,
        ...registryAccess(parsed.v, env, isFile),
    };
}
function parseRebase(args, env, isFile) {
    const { values: v, positionals } = parse(args, {
        ...REGISTRY_OPTIONS,
        image: { type: "string" },
        "run-image": { type: "string" },
        builder: { type: "string" },
        flavor: { type: "string" },
        report: { type: "string" },
        "sign-key": { type: "string" },
        "sign-offline": { type: "boolean" },
        "log-level": { type: "string" },
        executor: { type: "string" },
        help: { type: "boolean" },
    });
    if (v.help)
        return { kind: "help", text: USAGE };
    if (positionals.length > 0)
        throw usageError(`unexpected argument "${positionals[0]}"`);
    const str = (name) => v[name];
    const image = str("image");
    if (!image)
        throw usageError("--image is required (the tag of the image to rebase)");
    const executorFlag = str("executor");
    const flavor = oneOf("flavor", str("flavor"), FLAVORS, "cpu");
    return {
        kind: "rebase",
        reportFile: str("report"),
        executor: executorFlag === undefined
            ? undefined
            : oneOf("executor", executorFlag, ["docker", "local"], "docker"),
        request: {
            image,
            runImage: str("run-image"),
            builder: str("builder") ?? defaultBuilder(env, flavor),
            logLevel: oneOf("log-level", str("log-level"), ["info", "debug"], REQUEST_DEFAULTS.logLevel),
            ...registryAccess(v, env, isFile),
            ...signOptions(v, env, isFile),
        },
    };
}

;// CONCATENATED MODULE: ./src/cli/run.ts
























/** A file's text, or undefined when it cannot be read (--secret src=). */
function readText(path) {
    try {
        return (0,external_node_fs_namespaceObject.readFileSync)(path, "utf8");
    }
    catch {
        return undefined;
    }
}
/** Is the Docker daemon's socket there and usable by this process? */
function dockerReachable() {
    const socket = dockerSocketPath(process.env);
    try {
        (0,external_node_fs_namespaceObject.accessSync)(socket, external_node_fs_namespaceObject.constants.R_OK | external_node_fs_namespaceObject.constants.W_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** dist/cli (this bundle's own dir when running bundled; from the sources, the repo's dist/cli). */
function cliBundleDir() {
    const here = (0,external_node_path_namespaceObject.dirname)((0,external_node_url_namespaceObject.fileURLToPath)(import.meta.url));
    return (0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_namespaceObject.join)(here, "index.js")) ? here : (0,external_node_path_namespaceObject.join)(here, "..", "..", "dist", "cli");
}
/** The CLI: parse, run one command, render errors; returns the exit code. */
async function runCli(argv) {
    // Masks whatever secrets the build registers, in its output and in its errors alike.
    const log = new MaskingLogger(new ConsoleLogger());
    try {
        const command = parseCommand(argv, process.env, (path) => (0,external_node_fs_namespaceObject.existsSync)(path) && (0,external_node_fs_namespaceObject.statSync)(path).isFile(), readText);
        const docker = new Docker(runProcess);
        switch (command.kind) {
            case "help":
                log.info(command.text);
                return 0;
            case "version":
                log.info(ML_BUILDPACKS_VERSION);
                return 0;
            case "builder-create":
                await createBuilder({ ...command.request, cliDir: command.request.cliDir ?? cliBundleDir() }, { docker, run: runProcess, log });
                return 0;
            case "manifest-create": {
                const registries = [command.image, ...command.children.map((c) => formatImageRef(c.ref))].map((r) => parseImageRef(r).registry);
                const auth = resolveRegistryAuth([...new Set(registries)]);
                const { caCerts, insecureRegistries } = command;
                const target = parseImageRef(command.image);
                const signer = command.sign &&
                    (await openIndexSigner(command.sign, {
                        builderRef: command.builder,
                        docker: docker.binary,
                        access: { auth, caCerts, insecureRegistries },
                        deps: systemSignerDeps(process.env, log, (s) => log.register(s)),
                    }));
                const result = await createIndex(command.image, command.children, {
                    clientFor: (registry) => new RegistryClient(registry, { auth, caCerts, insecureRegistries }),
                    log,
                    ...(signer
                        ? {
                            beforeTag: (digest) => signer.sign(target.repository, target.registry, digest, false),
                        }
                        : {}),
                });
                log.info(`\nPushed ${result.image}@${result.digest}`);
                for (const m of result.manifests)
                    log.info(`  ${formatPlatform(m.platform ?? { os: "?", architecture: "?" })}  ${m.digest}`);
                log.info(result.digest);
                return 0;
            }
            case "manifest-tag": {
                const registries = [command.image, ...command.tags].map((r) => parseImageRef(r).registry);
                const auth = resolveRegistryAuth([...new Set(registries)]);
                const { caCerts, insecureRegistries } = command;
                const result = await tagManifest(command.image, command.tags, {
                    clientFor: (registry) => new RegistryClient(registry, { auth, caCerts, insecureRegistries }),
                    log,
                });
                log.info(result.digest);
                return 0;
            }
            case "rebase": {
                const executor = chooseExecutor(command.executor, {
                    insideBuilder: (0,external_node_fs_namespaceObject.existsSync)(LOCAL_LIFECYCLE),
                    dockerReachable: dockerReachable(),
                });
                const local = executor === "local"
                    ? {
                        run: runProcess,
                        builder: await localBuilderInfo({ ref: command.request.builder, run: runProcess }),
                    }
                    : undefined;
                const report = await rebase(command.request, {
                    docker,
                    log,
                    local,
                    registerSecret: (secret) => log.register(secret),
                });
                log.info(`\n${rebaseSummary(report)}`);
                if (command.reportFile)
                    (0,external_node_fs_namespaceObject.writeFileSync)(command.reportFile, `${JSON.stringify(report, null, 2)}\n`);
                return 0;
            }
            case "build": {
                const req = command.request;
                const executor = chooseExecutor(command.executor, {
                    insideBuilder: (0,external_node_fs_namespaceObject.existsSync)(LOCAL_LIFECYCLE),
                    dockerReachable: dockerReachable(),
                });
                let resolved;
                if (executor === "local") {
                    if (!req.publish)
                        throw new MlBuildpacksError(messages.usage("--no-publish needs the docker executor (the local executor pushes to a registry)", "drop --no-publish or pass --executor docker"));
                    if (req.memoryLimit)
                        throw new MlBuildpacksError(messages.usage("--memory limits the docker executor's containers; the local executor runs in the CI's own container", "set the job's memory limit in the CI instead, or pass --executor docker"));
                    // No Docker: the builder is the image this process runs in.
                    resolved = await localBuilderInfo({ ref: req.builder, run: runProcess });
                    log.info(`local executor: builder ${req.builder} (this container), ${resolved.platform}, lifecycle ${resolved.lifecycleVersion}, CNB user ${resolved.uid}:${resolved.gid}`);
                    if (req.platform && req.platform !== resolved.platform)
                        throw new MlBuildpacksError(messages.unsupportedPlatform(req.platform, req.builder, resolved.platform));
                }
                const report = await build(req, {
                    docker,
                    log,
                    clock: systemClock,
                    registerSecret: (secret) => log.register(secret),
                    makeExecutor: executorFactory({ kind: executor, docker, log, run: runProcess, preExportDir: preExportDir(import.meta.url) }, req),
                }, resolved);
                log.info(`\n${headline(report)} ${report.imageRef} in ${formatDuration(report.totalMs)}\n${renderSummary(report)}`);
                if (command.reportFile)
                    (0,external_node_fs_namespaceObject.writeFileSync)(command.reportFile, `${JSON.stringify(report, null, 2)}\n`);
                return 0;
            }
        }
    }
    catch (err) {
        log.error(`\n${renderError(err)}`);
        return typeof err.exitCode === "number"
            ? err.exitCode
            : 1;
    }
}
/** The build's last line says how the image came to be. */
function headline(report) {
    if (!report.fastPath.used)
        return "Successfully built";
    return report.fastPath.appLayerOnly
        ? "Built by replacing the app layer (no phase ran):"
        : "Up to date (inputs unchanged, no phase ran):";
}
/** What a rebase changed, one line per platform, the list's digest last. */
function rebaseSummary(report) {
    const lines = report.platforms.map((p) => `  ${p.platform}  ${p.rebased ? `${p.previousDigest} -> ${p.digest}` : `${p.digest} (already on that run image)`}`);
    const changed = report.platforms.some((p) => p.rebased);
    const head = changed ? `Rebased ${report.image}` : `${report.image} is up to date`;
    return [head, ...lines, report.indexDigest ?? report.platforms[0]?.digest ?? ""].join("\n");
}

;// CONCATENATED MODULE: ./src/cli/main.ts

void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});

