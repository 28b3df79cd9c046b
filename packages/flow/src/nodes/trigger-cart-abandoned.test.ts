import { describeSettinglessTrigger } from './trigger-test-kit.ts'

describeSettinglessTrigger('trigger-cart-abandoned', { event: 'cart.abandoned' }, ['cart'])
