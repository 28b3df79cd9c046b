import { describe, expect, it } from 'vitest'
import { isGreeting } from './greeting.ts'

describe('a message that is only a greeting', () => {
  it.each([
    'hi',
    'Hi!',
    'hello there',
    'Hey 👋',
    'good morning',
    'Good morning team',
    'hallo',
    'Moin moin',
    'Bonjour !',
    'hola',
    'buenos días',
    'Olá',
    'ciao',
    'hi hi',
  ])('%j is a greeting', (text) => {
    expect(isGreeting(text)).toBe(true)
  })

  it.each([
    'hi, where is my order?',
    'hello, is the hoodie available in M?',
    'hi I want to return my jacket',
    'this',
    'high',
    'history of my order',
    'ok',
    'thanks',
    '',
    '👋',
    'hi hi hi hi hi',
  ])('%j is not just a greeting', (text) => {
    expect(isGreeting(text)).toBe(false)
  })
})
