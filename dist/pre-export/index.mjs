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

/***/ 457:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _pre_export_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(393);
// Entry point of dist/pre-export/index.mjs, which the lifecycle container runs between the builder
// and the exporter (node from the build image). It never fails the build: anything that goes wrong
// leaves analyzed.toml as it was, and the exporter then does all the work as usual.

const say = (line) => process.stdout.write(`${line}\n`);
try {
    // The request is the first argument (JSON, no secrets: credentials come from CNB_REGISTRY_AUTH, as
    // for the lifecycle beside it).
    const request = JSON.parse(process.argv[2] ?? "");
    await (0,_pre_export_js__WEBPACK_IMPORTED_MODULE_0__/* .preExport */ .W)(request, say);
}
catch (err) {
    say(`Pre-export skipped (${err instanceof Error ? err.message : String(err)}): the exporter compresses every layer itself`);
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 393:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  W: () => (/* binding */ preExport)
});

// UNUSED EXPORTS: preExportNotes

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:stream"
const external_node_stream_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");
// EXTERNAL MODULE: ./node_modules/@iarna/toml/toml.js
var toml = __nccwpck_require__(572);
;// CONCATENATED MODULE: ./src/core/errors.ts
/**
 * A failure a person can act on: what happened, and what to do about it.
 * Every user-facing error in the core is one of these; texts live in messages.ts.
 */
class errors_MlBuildpacksError extends Error {
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
    if (!(err instanceof errors_MlBuildpacksError)) {
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
const messages_messages = {
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
function image_ref_parseImageRef(input) {
    const invalid = (why) => new errors_MlBuildpacksError(messages_messages.invalidImageRef(input, why));
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
    const ref = image_ref_parseImageRef(input);
    if (ref.digest)
        throw new MlBuildpacksError({
            title: `${what} ${input} is a digest, but a build pushes a new image to a tag`,
            hint: "give a tag, e.g. ghcr.io/team/app:1.0; the pushed image's digest is in the build report and outputs",
            exitCode: 2,
        });
    return ref;
}
function image_ref_formatImageRef(ref) {
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
            throw new errors_MlBuildpacksError(messages_messages.registryTokenRefused(this.registry, realm, 0, describeScope(scope), this.anonymous, "its token realm is not a URL"));
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
            throw new errors_MlBuildpacksError(messages_messages.registryTokenRefused(this.registry, url.host, res.status, describeScope(scope), this.anonymous, text));
        }
        const body = (await res.json().catch(() => ({})));
        const token = body.token ?? body.access_token;
        if (!token)
            throw new errors_MlBuildpacksError(messages_messages.registryTokenRefused(this.registry, url.host, res.status, describeScope(scope), this.anonymous, "the answer holds no token"));
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
        return new errors_MlBuildpacksError(messages_messages.registryTokenRefused(this.registry, realm, 0, describeScope(scope), this.anonymous, `no answer: ${reason}`));
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
        throw new errors_MlBuildpacksError(messages_messages.badProxy(name, "not a URL"));
    }
    if (url.protocol !== "http:")
        throw new errors_MlBuildpacksError(messages_messages.badProxy(name, `${url.protocol}// proxies are not supported, only http://`));
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
const PROXY_VARIABLES = (/* unused pure expression or super */ null && ([
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
]));
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
            throw new errors_MlBuildpacksError(messages_messages.caCertsUnreadable(files.extra, err instanceof Error ? err.message : String(err)));
        }
        const certs = pemCertificates(text);
        if (certs.length === 0)
            throw new errors_MlBuildpacksError(messages_messages.caCertsUnreadable(files.extra, "no PEM certificate in it"));
        for (const c of certs)
            cas.add(c);
    }
    return [...cas];
}

;// CONCATENATED MODULE: ./src/core/registry/client.ts










const client_OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const MANIFEST_TYPES = [client_OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST];
/** Compressed size of an image as stored in a registry: config plus layers (undefined for an index). */
function manifestSize(manifest) {
    if (!manifest?.body.layers)
        return undefined;
    return (manifest.body.config?.size ?? 0) + manifest.body.layers.reduce((sum, l) => sum + l.size, 0);
}
const client_sha256 = (data) => `sha256:${(0,external_node_crypto_namespaceObject.createHash)("sha256").update(data).digest("hex")}`;
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
            if (err instanceof errors_MlBuildpacksError)
                throw err;
            throw new errors_MlBuildpacksError(messages_messages.registryUnreachable(this.registry, action, describeFetchError(err)));
        };
    }
    /** Whether the registry ever answered this client: then a request without an answer means it went away. */
    answered = false;
    /**
     * A request that got no answer after its retries: unreachable (a name, a CA, a proxy) when the
     * registry never answered, else it stopped answering mid-operation.
     */
    noAnswer(action, attempts, err) {
        if (!this.answered || err instanceof errors_MlBuildpacksError)
            return this.unreachable(action)(err);
        throw new errors_MlBuildpacksError(messages_messages.registryLost(this.registry, action, attempts, describeFetchError(err)));
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
            digest: res.headers.get("docker-content-digest") ?? client_sha256(raw),
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
        const expected = { digest: client_sha256(data), size: data.length };
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
                if (cause instanceof errors_MlBuildpacksError)
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
        return res.headers.get("docker-content-digest") ?? client_sha256(raw);
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
                if (err instanceof errors_MlBuildpacksError)
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
        return new errors_MlBuildpacksError(messages_messages.registryAuthFailed(this.registry, status, describeScope(scope), this.auth.anonymous));
    }
    failed(status, what, body) {
        return new errors_MlBuildpacksError(messages_messages.registryRequestFailed(this.registry, what, status, body));
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
        done(new errors_MlBuildpacksError(messages_messages.blobDigestMismatch(this.expectedDigest, this.expectedSize, digest, size)));
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
async function copy_copyBlobs(manifest, from, to) {
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

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: external "node:stream/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
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
function app_tar_layerEntries(tree) {
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
function app_tar_notUstar(e, owner) {
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
function app_tar_appLayerTar(entries, owner, read) {
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
function go_json_goJson(value) {
    if (typeof value === "string")
        return goString(value);
    if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined ? "null" : go_json_goJson(v))).join(",")}]`;
    if (value && typeof value === "object") {
        const members = Object.entries(value).filter(([, v]) => v !== undefined);
        return `{${members.map(([k, v]) => `${goString(k)}:${go_json_goJson(v)}`).join(",")}}`;
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
function inputs_digestOf(value) {
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
        env: inputs_digestOf(i.env),
        builder: i.builderDigest,
        runImage: i.runImageDigest,
        buildpacks: inputs_digestOf(i.buildpacks.map((b) => `${b.id}@${b.version}`).sort()),
        options: inputs_digestOf({
            platform: i.platform,
            defaultProcess: i.defaultProcess ?? "",
            lifecycle: i.lifecycleVersion,
            platformApi: i.platformApi,
            mlBuildpacks: i.toolVersion,
        }),
    };
}
function recordInputs(parts) {
    return { digest: inputs_digestOf(parts), parts };
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
    const root = resolve(appDir);
    return {
        root,
        rootMode: lstatSync(root).mode & 0o7777,
        entries: listTree(root, new Set(skip.map((p) => resolve(p)))),
    };
}
/** Pure: the digest of a listing (sorted by the caller). */
function digestOfEntries(entries) {
    const hash = createHash("sha256");
    for (const e of entries)
        hash.update(`${e.kind}\0${e.path}\0${e.executable ? "x" : "-"}\0${e.content}\n`);
    return `sha256:${hash.digest("hex")}`;
}
function listTree(root, skip) {
    const out = [];
    const walk = (dir) => {
        for (const name of utf8Names(dir).sort()) {
            const path = join(dir, name);
            if (skip.has(path))
                continue;
            const stat = lstatSync(path);
            const rel = relative(root, path).split(sep).join("/");
            const executable = (stat.mode & 0o111) !== 0;
            const mode = stat.mode & 0o7777;
            if (stat.isSymbolicLink()) {
                const target = readlinkSync(path);
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
    return readdirSync(dir, { encoding: "buffer" }).map((raw) => {
        try {
            return decoder.decode(raw);
        }
        catch {
            const shown = [...raw]
                .map((b) => b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)
                .join("");
            throw new MlBuildpacksError({
                title: `the app has a file whose name is not UTF-8: ${shown}`,
                location: { file: join(dir, shown) },
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
const app_layer_LIFECYCLE_METADATA_LABEL = "io.buildpacks.lifecycle.metadata";
/** Larger apps take the full build: the layer is built in memory. */
const MAX_APP_LAYER_BYTES = (/* unused pure expression or super */ null && (256 * 1024 * 1024));
/** Pure: digest of the tree's shape (every path and kind, not the content). */
function shapeDigest(tree) {
    return digestOf(tree.entries.map((e) => `${e.kind}:${e.path}`));
}
/** Pure: the key from the shape's digest and each read file's content digest (`read`). */
function appKey(shape, files, read) {
    return inputs_digestOf({ shape, reads: [...files].sort().map((f) => `${f}:${read(f)}`) });
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
    const tar = appLayerTar(checked.entries, owner, (rel) => readFileSync(join(tree.root, rel)));
    return { layer: `sha256:${createHash("sha256").update(tar).digest("hex")}`, shape: shapeDigest(tree) };
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
    const tar = appLayerTar(checked.entries, owner, (rel) => readFileSync(join(tree.root, rel)));
    return {
        diffId: `sha256:${createHash("sha256").update(tar).digest("hex")}`,
        gzip: gzipSync(tar),
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
        const doc = JSON.parse(labels[app_layer_LIFECYCLE_METADATA_LABEL] ?? "{}");
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
    const metadata = current[app_layer_LIFECYCLE_METADATA_LABEL].split(old).join(layer.diffId);
    return {
        config: {
            ...config,
            rootfs: { ...config.rootfs, diff_ids: diffIds.map((d, i) => (i === index ? layer.diffId : d)) },
            config: {
                ...config.config,
                Labels: { ...current, [app_layer_LIFECYCLE_METADATA_LABEL]: metadata, ...labels },
            },
        },
        manifest: {
            ...manifest,
            layers: layers.map((l, i) => (i === index ? { ...l, digest: layer.digest, size: layer.size } : l)),
        },
    };
}

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
const parallel_gzip_zlibBlocks = (level) => (block) => gzipAsync(block, { level });
class parallel_gzip_ParallelGzip extends external_node_stream_namespaceObject.Transform {
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








const COMPRESSION_MODES = (/* unused pure expression or super */ null && (["fast", "small"]));
/** zlib level 4: about 90% of level 6's saving on ML layers at two thirds of its time. */
const RECOMPRESS_LEVEL = 4;
const CHUNK = (/* unused pure expression or super */ null && (1024 * 1024));
/** Smaller layers are not worth a round trip. */
const MIN_RECOMPRESS_BYTES = (/* unused pure expression or super */ null && (8 * 1024 * 1024));
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
    const tar = createHash("sha256");
    // 1 MiB chunks: zlib works on libuv's thread pool, and 16 KiB round trips to it cost a third of
    // the time (9.4 s -> 6.5 s for the benchmark app's two layers).
    const gunzip = createGunzip({ chunkSize: CHUNK });
    gunzip.on("data", (c) => tar.update(c));
    // gzip on every core, so a single large layer (a dependency change's venv) is not left to one.
    await pipeline(source, gunzip, new ParallelGzip(zlibBlocks(level), availableParallelism() + 1), sink);
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
                const compressed = new PassThrough({ highWaterMark: CHUNK });
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
    await Promise.all(Array.from({ length: Math.min(indexes.length, availableParallelism()) }, worker));
    const body = { ...manifest.body, layers };
    const raw = Buffer.from(JSON.stringify(body));
    const digest = await client.putManifest(repository, sha256(raw), raw, manifest.mediaType);
    return { manifest: { ...manifest, raw, body, digest }, layers: indexes.length, bytesBefore, bytesAfter };
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
    return new errors_MlBuildpacksError({
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
        throw new errors_MlBuildpacksError({
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

;// CONCATENATED MODULE: ./src/pre-export/analyzed.ts
// analyzed.toml as the exporter reads it (lifecycle platform/files.Analyzed): `[image] reference`
// names the previous image, whose layers the exporter may reuse, and `[metadata]` holds the layers it
// compares with (`buildpacks[].layers.<name>.sha`, the diffID). Pre-export points both at a staging
// image that also holds the layers it pushed, so the exporter reuses them instead of compressing
// and uploading them again.

function parseAnalyzed(text) {
    return toml.parse(text);
}
/** The previous image's reference, if the analyzer found one. */
function previousImageRef(analyzed) {
    return analyzed.image?.reference || undefined;
}
/** The diffID the previous image has for a buildpack's layer, if any. */
function previousLayerSha(analyzed, buildpack, layer) {
    return analyzed.metadata?.buildpacks?.find((b) => b.key === buildpack)?.layers?.[layer]?.sha;
}
/** Pure: analyzed.toml pointing at the staging image, with the pushed layers' diffIDs as the previous ones. */
function withStagingImage(analyzed, stagingRef, pushed) {
    const buildpacks = (analyzed.metadata?.buildpacks ?? []).map((b) => ({ ...b, layers: { ...b.layers } }));
    for (const p of pushed) {
        let bp = buildpacks.find((b) => b.key === p.buildpack);
        if (!bp) {
            bp = { key: p.buildpack, version: p.version, layers: {} };
            buildpacks.push(bp);
        }
        bp.layers[p.layer] = { ...bp.layers[p.layer], sha: p.diffId };
    }
    const doc = {
        ...analyzed,
        image: { ...analyzed.image, reference: stagingRef },
        metadata: { ...analyzed.metadata, buildpacks },
    };
    return toml.stringify(doc);
}

;// CONCATENATED MODULE: ./src/pre-export/compressor.ts
// How pre-export gzips a layer. ISA-L's igzip (Debian's isal, in ml-buildpacks' build images)
// deflates several times faster than zlib per core, at a ratio between zlib's levels 1 and 4.
// Either way the layer is cut into blocks compressed on every core (ParallelGzip): igzip as one
// process per block, zlib on libuv's thread pool where the builder has no igzip.






/** A process per block: 16 MiB makes its start-up negligible and the lost dictionary too. */
const IGZIP_BLOCK = 2 * GZIP_BLOCK;
/** The first executable `name` on PATH, as a shell would find it. */
function onPath(name, path = process.env.PATH ?? "") {
    for (const dir of path.split(external_node_path_namespaceObject.delimiter)) {
        if (!dir)
            continue;
        const candidate = (0,external_node_path_namespaceObject.join)(dir, name);
        try {
            (0,external_node_fs_namespaceObject.accessSync)(candidate, external_node_fs_namespaceObject.constants.X_OK);
            return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}
/** Blocks in flight are held in memory (input and output): past 8 cores, more buys little. */
const MAX_CORES = 8;
function chooseCompressor(choice, find = onPath, cores = Math.min((0,external_node_os_namespaceObject.availableParallelism)(), MAX_CORES)) {
    const igzip = choice.igzipLevel === undefined ? undefined : find("igzip");
    const [label, blocks, blockSize] = igzip && choice.igzipLevel !== undefined
        ? [`igzip level ${choice.igzipLevel}`, igzipBlocks(igzip, choice.igzipLevel), IGZIP_BLOCK]
        : [`gzip level ${choice.level}`, parallel_gzip_zlibBlocks(choice.level), GZIP_BLOCK];
    return {
        label: `${label}, ${cores} cores`,
        compress: (tar) => {
            const gz = new parallel_gzip_ParallelGzip(blocks, cores + 1, blockSize);
            // Not tar.pipe(gz): a failing tar (a file that vanished) must fail the upload, not stall it.
            (0,external_node_stream_namespaceObject.pipeline)(tar, gz, () => { });
            return gz;
        },
    };
}
/** Each block through `igzip -c -n -LEVEL` (-n: no name or time in the header, so it is reproducible). */
function igzipBlocks(igzip, level) {
    return (block) => filterThrough(igzip, ["-c", "-n", `-${level}`], block);
}
/** The stdout of `command` fed `input`; rejects unless it exits 0, so a truncated output is never used. */
function filterThrough(command, args, input) {
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(command, args, { stdio: ["pipe", "pipe", "pipe"] });
        const out = [];
        const err = [];
        child.stdout.on("data", (c) => out.push(c));
        child.stderr.on("data", (c) => err.push(c));
        child.on("error", reject);
        // An early exit makes the write fail too; the exit status below says why.
        child.stdin.on("error", () => { });
        child.on("close", (code, signal) => {
            if (code === 0)
                return resolve(Buffer.concat(out));
            const why = Buffer.concat(err).toString().trim();
            reject(new Error(`${command} exited with ${signal ?? code}${why ? `: ${why}` : ""}`));
        });
        child.stdin.end(input);
    });
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

;// CONCATENATED MODULE: ./src/pre-export/inputs-file.ts
// The build's inputs on the image without a second manifest: written to
// <layers>/project-metadata.toml before the exporter runs, which turns it into the project metadata
// label of the image it pushes (lifecycle: exporter -project-metadata, default in the layers dir).






const PROJECT_METADATA_FILE = "project-metadata.toml";
/** Pure: the labels buildpacks declared, from the builder's <layers>/config/metadata.toml. */
function buildLabels(metadataToml) {
    const doc = toml.parse(metadataToml);
    const out = {};
    for (const { key, value } of doc.labels ?? [])
        if (typeof key === "string" && typeof value === "string")
            out[key] = value;
    return out;
}
/** Pure: project-metadata.toml's text for these inputs. */
function projectMetadataToml(inputs) {
    return toml.stringify(projectMetadata(inputs));
}
/**
 * Writes the inputs, with the app record when the platform planned one (said in the log either
 * way), where the exporter reads them. Returns whether they are in place; never throws.
 */
function writeInputs(req, label, say) {
    try {
        let inputs = label.inputs;
        if (label.app) {
            const group = toml.parse((0,external_node_fs_namespaceObject.readFileSync)(req.groupPath, "utf8")).group ?? [];
            const labels = buildLabels((0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(req.layersDir, "config", "metadata.toml"), "utf8"));
            const outcome = recordFromBuild(labels, group, label.app, req.appDir);
            if ("record" in outcome) {
                inputs = { ...inputs, app: outcome.record };
                say(fastPathNotes.appSwapReady(outcome.record.files));
            }
            else
                say(fastPathNotes.appSwapNotReady(outcome.reason));
        }
        const file = (0,external_node_path_namespaceObject.join)(req.layersDir, PROJECT_METADATA_FILE);
        (0,external_node_fs_namespaceObject.writeFileSync)(`${file}.tmp`, projectMetadataToml(inputs));
        (0,external_node_fs_namespaceObject.renameSync)(`${file}.tmp`, file);
        say(preExportLabelNotes.written);
        return true;
    }
    catch (err) {
        say(preExportLabelNotes.failed(err instanceof Error ? err.message : String(err)));
        return false;
    }
}
const preExportLabelNotes = {
    written: "Recorded the build's inputs for the exporter (project metadata label)",
    failed: (why) => `Could not record the build's inputs for the exporter: ${why}`,
};

;// CONCATENATED MODULE: ./src/pre-export/layer-tar.ts
// A buildpack layer's tar exactly as the lifecycle's exporter writes it (layers.Factory.DirLayer):
// the parent directories (/layers, /layers/<buildpack>) with their own owner, then filepath.Walk of
// the layer directory (each directory's children sorted by name and visited in place, unlike the app
// layer's whole-path order) owned by the CNB user; Go's USTAR headers, mtime 1980-01-01T00:00:01Z.
// The same bytes give the same diffID, which is what lets the exporter reuse a blob pushed here. An
// entry Go would write another way (PAX names, devices, fifos) makes the layer unsupported: the
// exporter then adds it itself.



const layer_tar_BLOCK = 512;
const layer_tar_CHUNK = 1024 * 1024;
/** The entries in the exporter's order and the file bytes they hold, or why Go would write them otherwise. */
function layerTarEntries(dir, cnb) {
    const entries = [];
    let bytes = 0;
    const parents = [];
    for (let p = (0,external_node_path_namespaceObject.dirname)(dir); p !== "/" && p !== "."; p = (0,external_node_path_namespaceObject.dirname)(p))
        parents.unshift(p);
    for (const p of parents) {
        const st = (0,external_node_fs_namespaceObject.statSync)(p);
        entries.push(entryOf(p, st, "dir", "", { uid: st.uid, gid: st.gid }));
    }
    const walk = (path) => {
        const st = (0,external_node_fs_namespaceObject.lstatSync)(path);
        if (st.isSocket())
            return undefined; // the lifecycle leaves sockets out
        const kind = st.isFile()
            ? "file"
            : st.isDirectory()
                ? "dir"
                : st.isSymbolicLink()
                    ? "symlink"
                    : undefined;
        if (!kind)
            return `${path} is neither a file, a directory nor a symlink`;
        const entry = entryOf(path, st, kind, kind === "symlink" ? (0,external_node_fs_namespaceObject.readlinkSync)(path) : "", cnb);
        const why = app_tar_notUstar(entry, entry.owner);
        if (why)
            return why;
        entries.push(entry);
        bytes += entry.size;
        if (kind !== "dir")
            return undefined;
        // Go's sort.Strings: byte order (names are ASCII here: anything else needs PAX and stopped above).
        for (const name of (0,external_node_fs_namespaceObject.readdirSync)(path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
            const inner = walk(`${path}/${name}`);
            if (inner)
                return inner;
        }
        return undefined;
    };
    const why = walk(dir);
    return why ? { reason: why } : { entries, bytes };
}
function entryOf(name, st, kind, linkTarget, owner) {
    // Go's FileInfoHeader: permission bits plus setuid, setgid and sticky.
    return { name, kind, mode: st.mode & 0o7777, size: kind === "file" ? st.size : 0, linkTarget, owner };
}
/** The tar's bytes, in pieces of at most 1 MiB (file contents read as they are needed). */
function* layerTarChunks(entries) {
    for (const e of entries) {
        yield ustarHeader(e, e.owner);
        if (e.kind !== "file")
            continue;
        const fd = (0,external_node_fs_namespaceObject.openSync)(e.name, "r");
        try {
            let left = e.size;
            while (left > 0) {
                const buf = Buffer.allocUnsafe(Math.min(layer_tar_CHUNK, left));
                const n = (0,external_node_fs_namespaceObject.readSync)(fd, buf, 0, buf.length, null);
                if (n === 0)
                    throw new Error(`${e.name} shrank while its layer was written`);
                left -= n;
                yield n === buf.length ? buf : buf.subarray(0, n);
            }
        }
        finally {
            (0,external_node_fs_namespaceObject.closeSync)(fd);
        }
        const pad = (layer_tar_BLOCK - (e.size % layer_tar_BLOCK)) % layer_tar_BLOCK;
        if (pad)
            yield Buffer.alloc(pad);
    }
    yield Buffer.alloc(2 * layer_tar_BLOCK);
}

;// CONCATENATED MODULE: ./src/pre-export/staging.ts
const staging_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
const OCI_GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
/** Label of the staging config that makes each build's staging manifest its own. */
const STAGING_LABEL = "dev.ml-buildpacks.staging";
/**
 * Pure: the staging config and a manifest maker (the config's digest and size go into it). `nonce`
 * keeps two builds of the same layers from sharing one manifest, which the platform deletes after
 * the export.
 */
function stagingImage(platform, previous, pushed, nonce) {
    const config = Buffer.from(JSON.stringify({
        ...platform,
        rootfs: {
            type: "layers",
            diff_ids: [...(previous?.config.rootfs?.diff_ids ?? []), ...pushed.map((p) => p.diffId)],
        },
        config: { Labels: { [STAGING_LABEL]: nonce } },
    }));
    const layers = [
        ...(previous?.manifest.layers ?? []),
        ...pushed.map((p) => ({ mediaType: OCI_GZIP_LAYER, digest: p.digest, size: p.size })),
    ];
    return {
        config,
        manifest: (c) => Buffer.from(JSON.stringify({
            schemaVersion: 2,
            mediaType: staging_OCI_MANIFEST,
            config: { mediaType: OCI_CONFIG, digest: c.digest, size: c.size },
            layers,
        })),
    };
}

;// CONCATENATED MODULE: ./src/pre-export/pre-export.ts
// Pre-export, between the builder and the exporter, does two things:
// - records the build's inputs on the image the exporter makes (project-metadata.toml, see
//   inputs.ts projectMetadata), with the app record a later code-only change is checked against;
// - where the registry deletes manifests (req.stage): compresses the build's large new launch
//   layers once (igzip, or zlib on every core) and pushes them before the exporter runs; then points
//   analyzed.toml at a staging image holding them, so the exporter finds each layer's diffID there
//   and reuses the blob instead of compressing the layer twice at level 1 (go-containerregistry)
//   and uploading it. See request.ts for the files.















const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** This module's log lines (the exporter's log shows them; the platform reads "Pre-exported layer"). */
const preExportNotes = {
    pushed: (id, bytes, size, how, ms) => `Pre-exported layer '${id}': ${mib(bytes)} -> ${mib(size)} (${how}) in ${secs(ms)}`,
    unchanged: (id) => `Layer '${id}' is unchanged since the previous image: left to the exporter to reuse`,
    unsupported: (id, why) => `Layer '${id}' is left to the exporter: ${why}`,
    otherRepository: (ref) => `Pre-export skipped: the previous image ${ref} is in another repository, whose layers the staging image cannot name`,
    staged: (n, ref) => `Staged ${n} pre-exported layer(s) for the exporter in ${ref}`,
};
async function preExport(req, say) {
    // First, and whatever staging does: the label costs no upload and spares the registry a manifest.
    const labeled = req.label ? writeInputs(req, req.label, say) : false;
    const result = { layers: [], labeled };
    try {
        if (req.stage)
            Object.assign(result, await stage(req, say));
    }
    finally {
        (0,external_node_fs_namespaceObject.writeFileSync)(req.resultPath, JSON.stringify(result));
    }
}
/** Pushes the large new layers and the staging manifest naming them; analyzed.toml then names it. */
async function stage(req, say) {
    const analyzed = parseAnalyzed((0,external_node_fs_namespaceObject.readFileSync)(req.analyzedPath, "utf8"));
    const target = image_ref_parseImageRef(req.image);
    const platform = parsePlatform(req.platform);
    if (!platform)
        throw new Error(`unknown platform ${req.platform}`);
    // CNB_REGISTRY_AUTH, as the lifecycle beside it reads it; plain HTTP and the CA as the platform says.
    const client = new RegistryClient(target.registry, {
        auth: resolveRegistryAuth([target.registry]),
        insecureRegistries: req.insecureRegistries ?? [],
        caCerts: req.caCerts,
    });
    const previousRef = previousImageRef(analyzed);
    let previous;
    if (previousRef) {
        const ref = image_ref_parseImageRef(previousRef);
        if (ref.registry !== target.registry || ref.repository !== target.repository) {
            say(preExportNotes.otherRepository(previousRef));
            return undefined;
        }
        const manifest = await client.getManifest(ref.repository, ref.digest ?? ref.tag ?? "latest");
        const config = manifest && (await client.getConfig(ref.repository, manifest));
        if (!manifest?.body.layers || !config)
            throw new Error(`cannot read the previous image ${previousRef}`);
        previous = { manifest, config };
    }
    const compressor = chooseCompressor(req.compression);
    const pushed = [];
    for (const c of candidates(req, say)) {
        const id = `${c.buildpack}:${c.layer}`;
        const before = previousLayerSha(analyzed, c.buildpack, c.layer);
        // A restored layer the buildpack kept (e.g. the deb packages on a requirements change) has the
        // previous diffID: hashing it (no compression) is enough to leave it to the exporter's reuse.
        if (before && (await tarDiffId(c.entries)) === before) {
            say(preExportNotes.unchanged(id));
            continue;
        }
        const started = Date.now();
        // The tar is hashed (its diffID) as it is compressed: one pass over the files. A failed upload
        // tars and compresses the layer again (nothing in the layers dir changes before the exporter
        // runs), so the diffID is the hash of the attempt that was pushed.
        let hash = (0,external_node_crypto_namespaceObject.createHash)("sha256");
        const open = () => {
            const attempt = (0,external_node_crypto_namespaceObject.createHash)("sha256");
            hash = attempt;
            const tee = new external_node_stream_namespaceObject.Transform({
                transform(chunk, _enc, done) {
                    attempt.update(chunk);
                    done(null, chunk);
                },
            });
            // pipeline, not pipe: an error (a file that vanished) reaches the upload and fails it.
            (0,external_node_stream_namespaceObject.pipeline)(external_node_stream_namespaceObject.Readable.from(layerTarChunks(c.entries)), tee, () => { });
            return compressor.compress(tee);
        };
        const blob = await client.uploadBlobStream(target.repository, open);
        const diffId = `sha256:${hash.digest("hex")}`;
        pushed.push({
            buildpack: c.buildpack,
            version: c.version,
            layer: c.layer,
            diffId,
            ...blob,
            bytes: c.bytes,
        });
        say(preExportNotes.pushed(id, c.bytes, blob.size, compressor.label, Date.now() - started));
    }
    if (pushed.length === 0)
        return undefined;
    const staging = stagingImage(platform, previous && { manifest: previous.manifest.body, config: previous.config }, pushed, (0,external_node_crypto_namespaceObject.randomUUID)());
    const configDigest = await client.uploadBlob(target.repository, staging.config);
    const raw = staging.manifest({ digest: configDigest, size: staging.config.length });
    const digest = await client.putManifest(target.repository, client_sha256(raw), raw, staging_OCI_MANIFEST);
    // The exporter must be able to read it back, or it would find no layer to reuse and fail.
    if (!(await client.getManifest(target.repository, digest)))
        throw new Error(`the staging image ${digest} is not readable`);
    const stagingRef = image_ref_formatImageRef({ ...target, tag: undefined, digest });
    const next = `${req.analyzedPath}.pre-export`;
    (0,external_node_fs_namespaceObject.writeFileSync)(next, withStagingImage(analyzed, stagingRef, pushed));
    (0,external_node_fs_namespaceObject.renameSync)(next, req.analyzedPath);
    say(preExportNotes.staged(pushed.length, stagingRef));
    return {
        layers: pushed.map((p) => ({
            id: `${p.buildpack}:${p.layer}`,
            diffId: p.diffId,
            digest: p.digest,
            size: p.size,
            bytes: p.bytes,
        })),
        stagingDigest: digest,
    };
}
/** The group's launch layers with contents, of at least req.minBytes, as the exporter will see them. */
function* candidates(req, say) {
    const group = toml.parse((0,external_node_fs_namespaceObject.readFileSync)(req.groupPath, "utf8"))
        .group ?? [];
    for (const bp of group) {
        const dir = (0,external_node_path_namespaceObject.join)(req.layersDir, bp.id.split("/").join("_"));
        if (!(0,external_node_fs_namespaceObject.existsSync)(dir))
            continue;
        for (const file of (0,external_node_fs_namespaceObject.readdirSync)(dir).sort()) {
            if (!file.endsWith(".toml") || ["launch.toml", "build.toml", "store.toml"].includes(file))
                continue;
            const layer = file.slice(0, -".toml".length);
            const layerDir = (0,external_node_path_namespaceObject.join)(dir, layer);
            const meta = toml.parse((0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_namespaceObject.join)(dir, file), "utf8"));
            if (!meta.types?.launch || !(0,external_node_fs_namespaceObject.existsSync)(layerDir) || !(0,external_node_fs_namespaceObject.statSync)(layerDir).isDirectory())
                continue;
            const listed = layerTarEntries(layerDir, { uid: req.uid, gid: req.gid });
            if ("reason" in listed) {
                say(preExportNotes.unsupported(`${bp.id}:${layer}`, listed.reason));
                continue;
            }
            if (listed.bytes < req.minBytes)
                continue;
            yield { buildpack: bp.id, version: bp.version, layer, ...listed };
        }
    }
}
async function tarDiffId(entries) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)("sha256");
    for (const chunk of layerTarChunks(entries))
        hash.update(chunk);
    return `sha256:${hash.digest("hex")}`;
}


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
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(457);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
