import { describeSettinglessTrigger } from './trigger-test-kit.ts'

describeSettinglessTrigger('trigger-order-delivered', { event: 'order.delivered' }, ['order'])
