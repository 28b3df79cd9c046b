// Starter flow: product questions before purchase ("is this in blue?"), answered from the catalogue in
// seconds; what the catalogue cannot answer goes to a person.
import type { FlowDocument } from '../parse.ts'
import { edge, flowNode } from './build.ts'

export const productQuestionsFlow: FlowDocument = {
  version: 2,
  name: 'Product questions',
  settings: {
    description: 'Answers questions about products from your catalogue; hands the rest to your team.',
    channels: ['webchat', 'whatsapp', 'telegram'],
    exitEvents: [],
  },
  nodes: [
    flowNode('trigger-message', 'asks', 'Shopper asks a question', { col: 0, row: 0 }, { match: 'any' }),
    flowNode(
      'answer-product-question',
      'answer',
      'Answer from the catalogue',
      { col: 0, row: 1 },
      {
        sendAnswer: true,
      },
    ),
    flowNode('end', 'answered', 'Answered', { col: 0, row: 2 }, { outcome: 'answered' }),
    flowNode(
      'escalate',
      'ask-team',
      'Ask the team',
      { col: 1, row: 2 },
      {
        queue: 'sales',
        summaryFields: [{ label: 'Question', path: 'reply' }],
        note: 'Good question! That one is for our team.',
      },
    ),
    flowNode('end', 'handed-back', 'Helped by the team', { col: 1, row: 3 }, { outcome: 'handed_back' }),
  ],
  edges: [
    edge('asks', 'answer'),
    edge('answer', 'answered', 'answered'),
    edge('answer', 'ask-team', 'unanswered'),
    edge('ask-team', 'handed-back'),
  ],
}
