import { describeSettinglessTrigger } from './trigger-test-kit.ts'

describeSettinglessTrigger('trigger-order-shipped', { event: 'order.shipped' }, ['order'])
